// Plain-text rendering of polls, results and reminders: what every platform
// shows (adapters with buttons or native polls add those on top of this text).
import type { OutMessage, PollView } from '../model.js';
import { listWords, plural } from '../text/format.js';
import { formatMoment } from '../time/dates.js';
import { howToVote, type Option } from './ballot.js';
import type { PollRow } from './repo.js';
import { electedLine, stvLines } from './stv-render.js';
import type { StvPollRow } from './stv-repo.js';
import type { PollResult, RunoffRound } from './tally.js';

export interface PollState {
  poll: PollRow;
  options: Option[];
  result: PollResult;
  /** May counts be shown now? (Not for hidden polls before they close, nor live for anonymous polls.) */
  countsVisible: boolean;
  /** Names of people who blocked a named proposal. */
  blockers?: string[];
  /** Lines a feature adds, e.g. the rule that decides a grant. */
  notes?: string[];
  tz: string;
  /** Stv polls: the seats to fill and the seed of any draw by lot. */
  stv?: StvPollRow;
  /** Lines of reasons given with votes (results only). */
  reasons?: string[];
}

const pct = (n: number, of: number) => (of ? ` (${Math.round((100 * n) / of)}%)` : '');

/** `3 people voted.`, `1 person has voted so far.` */
function votedLine(n: number, closed: boolean, soFar: string): string {
  const verb = closed ? 'voted' : `${n === 1 ? 'has' : 'have'} voted${soFar}`;
  return `${plural(n, 'person', 'people')} ${verb}.`;
}

const TYPE_NAMES: Record<PollRow['type'], string> = {
  choice: '',
  proposal: ' (proposal)',
  ranked: ' (ranked choice)',
  score: ' (scores 0-5)',
};

/** ` (ranked choice)`; stv polls: ` (single transferable vote, 2 seats)`. */
function typeName(s: PollState): string {
  return s.stv ? ` (single transferable vote, ${plural(s.stv.seats, 'seat')})` : TYPE_NAMES[s.poll.type];
}

/** The view adapters render natively. `count`: votes (choice, proposal), first choices (ranked), number of scores (score). */
export function pollView(s: PollState): PollView {
  const { poll } = s;
  const notes = viewNotes(s);
  return {
    pollId: poll.id,
    question: poll.question,
    type: poll.type,
    options: s.options.map((o) => {
      const count = s.result.options.find((r) => r.idx === o.idx)?.count ?? 0;
      return s.countsVisible ? { index: o.idx, label: o.label, count } : { index: o.idx, label: o.label };
    }),
    multi: poll.multi,
    anonymous: !!poll.anonymous,
    hidden: !!poll.hidden,
    closed: poll.status === 'closed',
    ...(poll.closes_at !== null && poll.status === 'open' ? { closesAt: new Date(poll.closes_at).toISOString() } : {}),
    voters: s.result.voters,
    ...(poll.native ? { native: true } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/** The lines of the text that the rest of the view does not carry. */
function viewNotes(s: PollState): string[] {
  const { poll } = s;
  const out = [];
  if (poll.type === 'proposal' && s.countsVisible && s.result.proposal!.block > 0) out.push(blockLine(s));
  out.push(...whoLines(poll), ...(s.notes ?? []));
  if (s.result.quorum !== null) out.push(quorumLine(s));
  return out;
}

function whoLines(poll: PollRow): string[] {
  const out: string[] = [];
  if (poll.voter_role) out.push(`Only ${poll.voter_role}s can vote.`);
  if (poll.everywhere) out.push('Sector-wide poll: votes from every chat it was posted to count together.');
  return out;
}

/** The poll as posted (and as refreshed after each vote). */
export function renderPoll(s: PollState): string {
  const { poll } = s;
  const closed = poll.status === 'closed';
  const lines = [`Poll #${poll.id}${typeName(s)}: ${poll.question}${closed ? ' (closed)' : ''}`];
  for (const o of s.options) {
    const r = s.result.options.find((x) => x.idx === o.idx)!;
    let count = '';
    if (s.countsVisible && s.result.voters > 0) {
      if (poll.type === 'score') count = r.count ? ` — average ${r.mean!.toFixed(1)} from ${plural(r.count, 'score')}` : ' — no scores yet';
      else if (poll.type === 'ranked') count = ` — ${plural(r.count, 'first choice')}`;
      else count = ` — ${plural(r.count, 'vote')}`;
    }
    lines.push(`${o.idx}. ${o.label}${count}`);
  }
  if (poll.type === 'proposal') {
    if (s.countsVisible && s.result.proposal!.block > 0) lines.push(blockLine(s));
    else lines.push('A block means you would not go along with this: please say why.');
  }
  if (s.result.voters > 0 || closed) lines.push(votedLine(s.result.voters, closed, ''));
  lines.push(...flagLines(s));
  if (!closed) lines.push(howToVote({ id: poll.id, type: poll.type, multi: poll.multi, options: s.options }));
  return lines.join('\n');
}

function flagLines(s: PollState): string[] {
  const { poll } = s;
  const out = [...whoLines(poll), ...(s.notes ?? [])];
  if (poll.anonymous) {
    out.push('Anonymous: nobody can see who voted what, not even the person who asked. An anonymous vote is final once cast.');
    if (poll.status === 'open') out.push(`To vote privately, send me the /vote command in a direct message.`);
  }
  if (poll.hidden && poll.status === 'open') out.push('Results stay hidden until the poll closes.');
  else if (poll.anonymous && poll.status === 'open') out.push('Results are shown when the poll closes.');
  if (s.result.quorum !== null) out.push(quorumLine(s));
  if (poll.status === 'open' && poll.closes_at !== null) out.push(`Closes ${formatMoment(poll.closes_at, s.tz)}.`);
  return out;
}

function quorumLine(s: PollState): string {
  const q = s.result.quorum!;
  const reached = s.result.voters >= q;
  const state = reached ? 'reached' : s.poll.status === 'open' ? 'not reached yet' : 'not reached';
  return `Quorum: at least ${plural(q, 'voter')} needed; ${s.result.voters.toLocaleString('en-GB')} voted — ${state}.`;
}

function blockLine(s: PollState): string {
  const p = s.result.proposal!;
  const who = s.blockers?.length ? ` (${s.blockers.join(', ')})` : '';
  return `BLOCKED: ${plural(p.block, 'block')}${who}. A block means someone will not go along with this.`;
}

/** `/poll results N` and the final results when a poll closes. */
export function renderResults(s: PollState): string {
  const { poll, result } = s;
  const closed = poll.status === 'closed';
  const head = `Results of poll #${poll.id}${typeName(s)}: ${poll.question} (${closed ? 'closed' : 'still open'})`;
  if (!s.countsVisible) {
    const why = poll.hidden
      ? 'Results are hidden until the poll closes.'
      : 'Results of an anonymous poll are shown when it closes (live counts could show who voted what).';
    return [head, why, votedLine(result.voters, closed, ' so far')].join('\n');
  }
  // Stv: the first line says who is elected, in order of election.
  const lines = result.stv && result.voters > 0 ? [electedLine(result.stv, s.options, closed), head] : [head];
  if (result.voters === 0) lines.push('Nobody has voted yet.');
  else if (result.stv) lines.push(...stvLines(result.stv, s.options));
  else if (poll.type === 'proposal') lines.push(...proposalLines(s));
  else if (poll.type === 'ranked') lines.push(...rankedLines(s));
  else if (poll.type === 'score') lines.push(...scoreLines(s));
  else lines.push(...choiceLines(s));
  if (result.voters > 0) lines.push(votedLine(result.voters, closed, ' so far'));
  if (s.reasons?.length) lines.push(...s.reasons);
  if (s.result.quorum !== null) lines.push(quorumLine(s));
  if (poll.linked_double_votes > 0) {
    lines.push(
      `Note: ${plural(poll.linked_double_votes, 'person')} voted from two accounts before linking them with /link; ` +
        (poll.anonymous ? 'anonymous ballots cannot be told apart, so both count.' : 'the poll had closed, so both ballots stay as counted.'),
    );
  }
  if (poll.outcome) lines.push(`Outcome: ${poll.outcome}`);
  else if (closed) lines.push(`To record the decision taken, type /poll outcome ${poll.id} <what was decided>`);
  return lines.join('\n');
}

function byCount<T extends { count: number; idx: number }>(xs: T[]): T[] {
  return [...xs].sort((a, b) => b.count - a.count || a.idx - b.idx);
}

function choiceLines(s: PollState): string[] {
  const { result, poll } = s;
  // Each voter may pick several options in a multi-choice poll: percentages are of voters, and say so.
  const share = (n: number) => (poll.multi > 1 && result.voters ? ` (${Math.round((100 * n) / result.voters)}% of ${plural(result.voters, 'voter')})` : pct(n, result.voters));
  const lines = byCount(result.options).map((o) => `${o.label}: ${plural(o.count, 'vote')}${share(o.count)}`);
  if (poll.status === 'closed') lines.push(winnerLine(s, 'Most votes'));
  return lines;
}

function scoreLines(s: PollState): string[] {
  const { result, poll } = s;
  const sorted = [...result.options].sort((a, b) => (b.count ? b.mean! : -1) - (a.count ? a.mean! : -1) || a.idx - b.idx);
  const lines = sorted.map((o) => (o.count ? `${o.label}: average ${o.mean!.toFixed(1)} from ${plural(o.count, 'score')}` : `${o.label}: no scores`));
  if (poll.status === 'closed') lines.push(winnerLine(s, 'Highest average'));
  return lines;
}

function winnerLine(s: PollState, what: string): string {
  const names = s.result.winners.map((i) => label(s, i));
  if (names.length === 1) return `${what}: ${names[0]}.`;
  if (names.length > 1) return `Tie between ${listWords(names)}.`;
  return 'No winner.';
}

function proposalLines(s: PollState): string[] {
  const p = s.result.proposal!;
  const lines: string[] = [];
  if (p.block > 0) lines.push(blockLine(s));
  lines.push(`Agree ${p.agree} · Abstain ${p.abstain} · Disagree ${p.disagree} · Block ${p.block}`);
  const verdict = p.passed
    ? 'passes: no block, and more agree than disagree'
    : p.block > 0
      ? 'does not pass: it is blocked'
      : s.result.quorum !== null && s.result.voters < s.result.quorum
        ? 'does not pass: quorum not reached'
        : 'does not pass: not more agree than disagree';
  lines.push(s.poll.status === 'closed' ? `The proposal ${verdict}.` : `If it closed now, the proposal ${verdict}.`);
  return lines;
}

function rankedLines(s: PollState): string[] {
  const runoff = s.result.runoff;
  if (!runoff) return byCount(s.result.options).map((o) => `${o.label}: ${plural(o.count, 'first choice')}`);
  const lines = runoff.rounds.map((r, i) => roundLine(s, r, i + 1, i === runoff.rounds.length - 1));
  if (runoff.winner !== undefined) {
    const last = runoff.rounds[runoff.rounds.length - 1]!;
    const votes = last.counts.find((c) => c.idx === runoff.winner)!.votes;
    lines.push(`${s.poll.status === 'closed' ? 'Winner' : 'Leading'}: ${label(s, runoff.winner)}, with ${votes} of ${last.active} votes${pct(votes, last.active)} in round ${runoff.rounds.length}.`);
  } else if (runoff.tie) {
    lines.push(`Tie between ${listWords(runoff.tie.map((i) => label(s, i)))}: no winner. Decide together, then record it with /poll outcome ${s.poll.id} <what was decided>`);
  }
  return lines;
}

function roundLine(s: PollState, r: RunoffRound, n: number, last: boolean): string {
  const counts = [...r.counts].sort((a, b) => b.votes - a.votes || a.idx - b.idx).map((c) => `${label(s, c.idx)} ${c.votes}`);
  let line = `Round ${n}: ${counts.join(', ')}.`;
  if (r.exhausted) line += ` (${plural(r.exhausted, 'ballot')} with no options left.)`;
  if (!last && r.eliminated.length) {
    const why = r.tieBreak === 'earlier-rounds' ? ' (tied; fewer votes in an earlier round)' : r.tieBreak === 'poll-order' ? ' (tied in every round; listed later in the poll)' : '';
    line += ` Out: ${r.eliminated.map((i) => label(s, i)).join(', ')}${why}.`;
  }
  return line;
}

function label(s: PollState, idx: number) {
  return s.options.find((o) => o.idx === idx)?.label ?? `option ${idx}`;
}

/** The reminder 24 hours before a poll closes. */
export function renderWarning(s: PollState, missing: { count: number; names: string[] }): string {
  const { poll } = s;
  const lines = [`Poll #${poll.id} closes in 24 hours (${formatMoment(poll.closes_at!, s.tz)}): ${poll.question}`];
  if (missing.count === 0) lines.push(`Everyone has voted (${plural(s.result.voters, 'person', 'people')}).`);
  else {
    const names = !poll.anonymous && !poll.everywhere && missing.names.length ? `: ${missing.names.join(', ')}${missing.count > missing.names.length ? ` and ${missing.count - missing.names.length} more` : ''}` : '';
    lines.push(`${plural(missing.count, 'person', 'people')} ${missing.count === 1 ? 'has' : 'have'} not voted yet${names}.`);
  }
  lines.push(howToVote({ id: poll.id, type: poll.type, multi: poll.multi, options: s.options }));
  if (poll.anonymous) lines.push('To vote privately, send me the /vote command in a direct message.');
  return lines.join('\n');
}

/** The key of a poll's message, so later views edit it in place. */
export function editKey(pollId: number) {
  return `poll:${pollId}`;
}

/** The poll as an OutMessage: full text, the view for native rendering, and its edit key. */
export function pollMessage(s: PollState, extra: Partial<OutMessage> = {}): OutMessage {
  return { text: renderPoll(s), poll: pollView(s), editKey: editKey(s.poll.id), ...extra };
}
