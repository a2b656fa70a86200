// Delegate elections: nominations, then (when contested) a secret stv poll,
// then the elected become delegates for a term (see terms.ts). The timetable
// runs on the scheduler, so it survives restarts.
import type { Clock } from '../clock.js';
import type { ChatRow } from '../collabs/repo.js';
import type { RolesService } from '../collabs/roles.js';
import { chatDestination, type CollabsService } from '../collabs/service.js';
import { UserError } from '../errors.js';
import type { MinutesService } from '../minutes/service.js';
import type { OutMessage } from '../model.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { PollRow } from '../polls/repo.js';
import type { PollsService } from '../polls/service.js';
import type { PollResult } from '../polls/tally.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { DB } from '../storage/db.js';
import { listWords, plural } from '../text/format.js';
import { formatMoment } from '../time/dates.js';
import { ElectionsRepo, type CandidateRow, type ElectionRow, type ElectionStatus } from './repo.js';
import { CREATE_EXAMPLE, LIMITS, NOMINATIONS_JOB, RESULT_JOB, STAGE_NAMES, TRANSITIONS, uniqueLabels, voteDays, type ElectionAction } from './rules.js';
import { DelegateTerms } from './terms.js';

export { CREATE_EXAMPLE, LIMITS, STAGE_NAMES } from './rules.js';

export interface ElectionsDeps {
  db: DB;
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  people: PeopleService;
  collabs: CollabsService;
  roles: RolesService;
  polls: PollsService;
  minutes: MinutesService;
}

export interface NewElectionInput {
  actor: number;
  chat: ChatRow;
  body: string;
  seats: number;
  nominationsMs: number;
  votingMs: number;
  termMonths: number;
  /** The command's message, which the announcement in its chat answers. */
  messageId?: string;
}

export class ElectionsService {
  readonly repo: ElectionsRepo;
  readonly terms: DelegateTerms;

  constructor(private d: ElectionsDeps) {
    this.repo = new ElectionsRepo(d.db);
    this.terms = new DelegateTerms({ ...d, repo: this.repo, announce: (e, text) => this.announce(e, { text }, 'term-ended') });
    d.people.onMerge((from, to) => this.repo.mergePerson(from, to));
    d.scheduler.register<{ electionId: number }>(NOMINATIONS_JOB, (job) => this.closeNominationsOnTime(job.payload.electionId));
    d.scheduler.register<{ electionId: number }>(RESULT_JOB, (job) => this.announceResult(job.payload.electionId));
    d.polls.onClosed((poll, result) => this.onPollClosed(poll, result));
    d.polls.addRules({
      manage: (poll, personId) => {
        const id = this.repo.candidateInPoll(poll.id, personId);
        if (id !== undefined) return `you stand in election #${id}, so that would be a conflict of interest. Another lead or an admin can do it`;
        const e = this.repo.byPoll(poll.id);
        if (e && !d.roles.hasAny(personId, ['lead'], null)) return `it is the vote of election #${e.id}, which only a lead or an admin can manage. Type /roles to see who they are`;
        return undefined;
      },
      reopen: (poll) =>
        this.repo.byPoll(poll.id) ? `Poll #${poll.id} is an election's vote: its result stands and made delegates, so it can't be reopened. A lead can start a new election: ${CREATE_EXAMPLE}` : undefined,
    });
  }

  // --- Reading ---------------------------------------------------------------

  require(id: number): ElectionRow {
    const e = this.repo.get(id);
    if (e) return e;
    const latest = this.repo.recent(1)[0];
    throw new UserError(
      latest ? `There is no election #${id}. The latest is #${latest.id} (${latest.body}). Type /elections to see them all.` : `There are no elections yet. A lead can start one, e.g. ${CREATE_EXAMPLE}`,
    );
  }

  recent(limit = 10) {
    return this.repo.recent(limit);
  }

  /** Candidates (standing, or elected / not elected once decided), in the order they came forward. */
  candidates(e: ElectionRow): { standing: CandidateRow[]; waiting: CandidateRow[] } {
    const all = this.repo.candidates(e.id);
    return { standing: all.filter((c) => c.status === 'standing' || c.status === 'elected' || c.status === 'not_elected'), waiting: all.filter((c) => c.status === 'nominated') };
  }

  // --- Creating ----------------------------------------------------------------

  create(input: NewElectionInput): ElectionRow {
    const { d } = this;
    const now = d.clock.now();
    if (input.chat.is_direct) throw new UserError(`An election is made in a group chat, so everyone there sees it. Type it in your collab's chat, e.g. ${CREATE_EXAMPLE}`);
    const body = this.canonicalBody(input.body);
    if (!Number.isInteger(input.seats) || input.seats < 1 || input.seats > LIMITS.seats) {
      throw new UserError(`--seats is how many delegates to elect, from 1 to ${LIMITS.seats}. For example: ${CREATE_EXAMPLE}`);
    }
    for (const [flag, ms] of [['nominations', input.nominationsMs], ['voting', input.votingMs]] as const) {
      if (ms < LIMITS.minStage || ms > LIMITS.maxStage) throw new UserError(`--${flag} must be from 1 hour to 90 days, e.g. --${flag} 7d. For example: ${CREATE_EXAMPLE}`);
    }
    if (!Number.isInteger(input.termMonths) || input.termMonths < 1 || input.termMonths > LIMITS.termMonths) {
      throw new UserError(`--term is how long the elected serve, from 1 to ${LIMITS.termMonths} months, e.g. --term 12 months. For example: ${CREATE_EXAMPLE}`);
    }
    const running = this.repo.runningFor(body)[0];
    if (running) {
      throw new UserError(`Election #${running.id} for ${running.body} is already under way (${STAGE_NAMES[running.status]}). Type /election candidates ${running.id} to see it.`);
    }
    const id = this.repo.insert({
      body,
      seats: input.seats,
      nominations_close_at: now + input.nominationsMs,
      voting_ms: input.votingMs,
      term_months: input.termMonths,
      collab_id: input.chat.collab_id,
      chat_id: input.chat.id,
      created_by: input.actor,
      created_at: now,
    });
    const e = this.repo.get(id)!;
    d.scheduler.schedule(NOMINATIONS_JOB, e.nominations_close_at, { electionId: id }, `election:${id}:nominations`);
    const tz = this.tzOf(e);
    this.announce(e, {
      text: [
        `Election #${id}: ${plural(e.seats, 'delegate')} to ${body}, for ${plural(e.term_months, 'month')}.`,
        `Nominations are open until ${formatMoment(e.nominations_close_at, tz)}; then, if there are more candidates than seats, a secret vote for ${voteDays(e.voting_ms)}.`,
        `To stand: /election stand ${id} and a few words about you (up to ${LIMITS.statement} characters).`,
        `To nominate someone: /election nominate ${id} @name (they accept with /election accept ${id}).`,
        `Candidates so far: /election candidates ${id}`,
      ].join('\n'),
    }, 'open', input.messageId);
    return e;
  }

  /** One spelling per body: the one /delegate add or an earlier election used. */
  private canonicalBody(raw: string): string {
    const name = raw.trim().replace(/^["“”]|["“”]$/g, '').replace(/\s+/g, ' ').trim();
    if (name.length < 2 || name.length > LIMITS.body) throw new UserError(`Name the partnership body in 2 to ${LIMITS.body} characters, in double quotes. For example: ${CREATE_EXAMPLE}`);
    const known = [...this.d.minutes.delegates().map((x) => x.body), ...this.repo.bodies()];
    return known.find((b) => b?.toLowerCase() === name.toLowerCase()) ?? name;
  }

  // --- Nominations ---------------------------------------------------------------

  stand(id: number, personId: number, statement: string): { election: ElectionRow; updated: boolean } {
    const e = this.checkStage(this.require(id), 'stand');
    const text = this.cleanStatement(e, statement, 'stand');
    const now = this.d.clock.now();
    const existing = this.repo.candidate(e.id, personId);
    if (existing?.status === 'standing') {
      this.repo.setCandidate(e.id, personId, 'standing', text ?? existing.statement, now);
      return { election: e, updated: true };
    }
    if (existing?.status === 'nominated') this.repo.setCandidate(e.id, personId, 'standing', text, now);
    else {
      this.checkRoom(e);
      this.repo.putCandidate(e.id, personId, 'standing', text, personId, now);
    }
    return { election: e, updated: false };
  }

  nominate(id: number, actor: number, target: number, platform: string): ElectionRow {
    const e = this.checkStage(this.require(id), 'nominate');
    const name = this.d.people.name(target);
    if (actor === target) throw new UserError(`To put yourself forward, type /election stand ${e.id} and a few words about you.`);
    const existing = this.repo.candidate(e.id, target);
    if (existing?.status === 'standing') throw new UserError(`${name} already stands in election #${e.id}. Type /election candidates ${e.id} to see everyone.`);
    if (existing?.status === 'nominated') throw new UserError(`${name} is already nominated in election #${e.id}; they accept with /election accept ${e.id}.`);
    this.checkRoom(e);
    this.repo.putCandidate(e.id, target, 'nominated', null, actor, this.d.clock.now());
    const to = this.d.people.directTo(target, platform);
    const text =
      `${this.d.people.name(actor)} nominated you in election #${e.id}: ${plural(e.seats, 'delegate')} to ${e.body}. ` +
      `Nominations close ${formatMoment(e.nominations_close_at, this.tzOf(e))}.\n` +
      `To accept, type /election accept ${e.id} and a few words about you (up to ${LIMITS.statement} characters). To say no, do nothing, or type /election withdraw ${e.id}.`;
    if (to) this.d.outbox.enqueue(to, { text }, { idemKey: `election:${e.id}:nominated:${target}`, origin: `election:${e.id}` });
    return e;
  }

  accept(id: number, personId: number, statement: string): ElectionRow {
    const e = this.checkStage(this.require(id), 'accept');
    const existing = this.repo.candidate(e.id, personId);
    if (existing?.status !== 'nominated' && existing?.status !== 'standing') {
      throw new UserError(`Nobody has nominated you in election #${e.id}. To stand yourself, type /election stand ${e.id} and a few words about you.`);
    }
    const text = this.cleanStatement(e, statement, 'accept');
    this.repo.setCandidate(e.id, personId, 'standing', text ?? existing.statement, this.d.clock.now());
    return e;
  }

  withdraw(id: number, personId: number): ElectionRow {
    const e = this.checkStage(this.require(id), 'withdraw');
    const existing = this.repo.candidate(e.id, personId);
    if (existing?.status !== 'nominated' && existing?.status !== 'standing') {
      throw new UserError(`You are not a candidate in election #${e.id}, so there is nothing to withdraw. Type /election candidates ${e.id} to see who is.`);
    }
    this.repo.setCandidate(e.id, personId, 'withdrawn', existing.statement, this.d.clock.now());
    return e;
  }

  private cleanStatement(e: ElectionRow, raw: string, verb: string): string | null {
    const text = raw.trim().replace(/^"(.*)"$/s, '$1').trim();
    if (text.length > LIMITS.statement) {
      throw new UserError(
        `Your statement is ${text.length} characters; please keep it to ${LIMITS.statement}. For example: /election ${verb} ${e.id} I chair the Food Network and will report back after every meeting.`,
      );
    }
    return text || null;
  }

  private checkRoom(e: ElectionRow) {
    const { standing, waiting } = this.candidates(e);
    if (standing.length + waiting.length >= LIMITS.candidates) {
      throw new UserError(`Election #${e.id} already has ${LIMITS.candidates} candidates and nominations, the most one ballot can hold.`);
    }
  }

  /** The election, if `action` is allowed in its status (see TRANSITIONS); else a friendly refusal. */
  private checkStage(e: ElectionRow, action: ElectionAction): ElectionRow {
    if (TRANSITIONS[e.status][action]) return e;
    if (action === 'closeNominations' || action === 'closeVoting') throw new UserError(`Election #${e.id} is ${STAGE_NAMES[e.status]}, so there is nothing to close. Type /elections to see where each election is.`);
    const what = e.status === 'voting' && e.poll_id ? ` To vote: poll #${e.poll_id}.` : '';
    throw new UserError(`Nominations for election #${e.id} are closed (it is ${STAGE_NAMES[e.status]}), so that can't change now.${what} Type /election candidates ${e.id} to see the candidates.`);
  }

  // --- Closing stages ---------------------------------------------------------------

  /** `/election close E`: end the current stage now (a lead or admin who does not stand in it). */
  close(id: number, actor: number): ElectionRow {
    const e = this.require(id);
    const mine = this.repo.candidate(e.id, actor);
    if (mine && mine.status !== 'withdrawn') {
      throw new UserError(`You can't close election #${e.id}: you stand in it, so that would be a conflict of interest. Another lead or an admin can do it.`);
    }
    if (e.status === 'voting' && e.poll_id !== null) {
      this.d.polls.close(e.poll_id, actor);
      return this.repo.get(e.id)!;
    }
    this.checkStage(e, 'closeNominations');
    this.d.scheduler.cancel(`election:${e.id}:nominations`);
    this.repo.setNominationsCloseAt(e.id, this.d.clock.now());
    return this.closeNominations(this.repo.get(e.id)!);
  }

  private closeNominationsOnTime(id: number) {
    const e = this.repo.get(id);
    if (e?.status === 'nominations') this.closeNominations(e);
  }

  /** Nominations close: unopposed, lapsed, or a secret stv poll. */
  private closeNominations(e: ElectionRow): ElectionRow {
    const { d } = this;
    const now = d.clock.now();
    const { standing, waiting } = this.candidates(e);
    const notAccepted = waiting.length ? `\nNominated but did not accept in time: ${listWords(waiting.map((c) => c.name))}.` : '';
    if (!standing.length) {
      this.move(e, 'lapsed', now);
      const text =
        `Election #${e.id} (${plural(e.seats, 'delegate')} to ${e.body}) has lapsed: nobody stood.${notAccepted}\n` +
        `${this.terms.holdersLine(e.body)} A lead can start a new election, e.g. ${CREATE_EXAMPLE.replace('Community Planning Partnership', e.body)}`;
      this.announce(e, { text }, 'lapsed');
      this.tellCreator(e, text);
      return this.repo.get(e.id)!;
    }
    if (standing.length <= e.seats) {
      this.move(e, 'decided', now);
      const people = standing.map((c) => c.person_id);
      const endsAt = this.terms.elect(e, people, now);
      const names = listWords(standing.map((c) => c.name));
      this.announce(e, {
        text:
          `Election #${e.id}: ${names} ${standing.length === 1 ? 'is' : 'are'} elected unopposed as ${standing.length === 1 ? 'delegate' : 'delegates'} to ${e.body} ` +
          `(${plural(standing.length, 'candidate')} for ${plural(e.seats, 'seat')}), until ${formatMoment(endsAt, this.tzOf(e))}.${notAccepted}\nType /delegates to see everyone.`,
      }, 'result');
      return this.repo.get(e.id)!;
    }
    this.move(e, 'voting', null);
    // Each candidate is an option; two people with one name are told apart by a number.
    const labels = uniqueLabels(standing.map((c) => c.name));
    const chats = [this.d.collabs.chat(e.chat_id)!, ...d.collabs.subscribers('elections')].filter((c) => !c.is_direct);
    const poll = d.polls.create({
      question: `Election #${e.id}: ${plural(e.seats, 'delegate')} to ${e.body}`,
      options: labels,
      type: 'stv',
      seats: e.seats,
      anonymous: true,
      closesAt: now + e.voting_ms,
      origin: `election:${e.id}`,
      createdBy: null,
      collabId: e.collab_id,
      chats,
    });
    standing.forEach((c, i) => this.repo.setOption(e.id, c.person_id, i + 1));
    this.repo.setPoll(e.id, poll.id);
    this.announce(e, {
      text:
        `Election #${e.id}: nominations are closed. ${plural(standing.length, 'candidate')} for ${plural(e.seats, 'seat')}: ${listWords(labels)}.${notAccepted}\n` +
        `Vote in poll #${poll.id} by ranking them, favourite first, e.g. /vote ${poll.id} ${labels.map((_, i) => i + 1).reverse().join(' ')} (send it to me in a direct message to keep it private). ` +
        `The vote is secret and final, once per person. It closes ${formatMoment(poll.closes_at!, this.tzOf(e))}.\n` +
        `Read what each candidate says: /election candidates ${e.id}`,
    }, 'voting');
    return this.repo.get(e.id)!;
  }

  /** Voting closed (at its time or by hand): the count decides, in the closing transaction. */
  private onPollClosed(poll: PollRow, result: PollResult) {
    const m = /^election:(\d+)$/.exec(poll.origin ?? '');
    if (!m) return;
    const e = this.repo.get(Number(m[1]));
    if (!e || e.status !== 'voting') return;
    const now = this.d.clock.now();
    const byOption = new Map(this.repo.candidates(e.id).filter((c) => c.option_idx !== null).map((c) => [c.option_idx!, c]));
    const elected = (result.stv?.elected ?? []).map((idx) => byOption.get(idx)!).filter(Boolean);
    if (!elected.length) {
      this.move(e, 'lapsed', now);
      const text = `Election #${e.id} (${e.body}) has lapsed: nobody voted, so nobody is elected. ${this.terms.holdersLine(e.body)} A lead can start a new election, e.g. ${CREATE_EXAMPLE.replace('Community Planning Partnership', e.body)}`;
      this.announce(e, { text }, 'lapsed');
      this.tellCreator(e, text);
      return;
    }
    this.move(e, 'decided', now);
    this.terms.elect(e, elected.map((c) => c.person_id), now);
    this.d.scheduler.schedule(RESULT_JOB, now, { electionId: e.id }, `election:${e.id}:result`);
  }

  private announceResult(id: number) {
    const e = this.repo.get(id);
    if (!e || e.status !== 'decided' || e.poll_id === null) return;
    const terms = this.repo.currentTermsOf(e.id);
    // In order of election (the poll's count), as the results' first line says.
    const elected = this.repo.candidates(e.id).filter((c) => c.status === 'elected');
    const order = this.d.polls.result(this.d.polls.get(e.poll_id)!, { runoff: true }).stv?.elected ?? [];
    elected.sort((a, b) => order.indexOf(a.option_idx!) - order.indexOf(b.option_idx!));
    const until = terms[0] ? `, until ${formatMoment(terms[0].ends_at, this.tzOf(e))}` : '';
    this.announce(e, {
      text:
        `Election #${e.id} result: ${listWords(elected.map((c) => c.name))} ${elected.length === 1 ? 'is' : 'are'} elected${elected.length > 1 ? ' (in that order)' : ''} as ${elected.length === 1 ? 'delegate' : 'delegates'} to ${e.body}${until}. ` +
        `The count, stage by stage, is in the results of poll #${e.poll_id} above; every stage as a table: /poll export ${e.poll_id}\nType /delegates to see everyone.`,
    }, 'result');
  }

  private move(e: ElectionRow, to: ElectionStatus, decidedAt: number | null) {
    const action: ElectionAction = e.status === 'nominations' ? 'closeNominations' : 'closeVoting';
    if (!TRANSITIONS[e.status][action]?.includes(to)) throw new Error(`election #${e.id}: ${e.status} → ${to} is not allowed`);
    if (!this.repo.setStatus(e.id, e.status, to, decidedAt)) throw new Error(`election #${e.id} changed status under us`);
  }

  // --- Delivery ------------------------------------------------------------------------

  /** To the chat it was made in and every chat subscribed to elections, once each. */
  private announce(e: ElectionRow, message: OutMessage, what: string, replyTo?: string) {
    const chats = new Map<number, ChatRow>();
    const home = this.d.collabs.chat(e.chat_id);
    if (home) chats.set(home.id, home);
    for (const c of this.d.collabs.subscribers('elections')) if (!c.is_direct) chats.set(c.id, c);
    for (const c of chats.values()) {
      // In the chat it was made in, the announcement is the answer to the command.
      const m = replyTo && c.id === e.chat_id ? { ...message, replyTo } : message;
      this.d.outbox.enqueue(chatDestination(c), m, { idemKey: `election:${e.id}:${what}:${c.id}`, origin: `election:${e.id}` });
    }
  }

  private tellCreator(e: ElectionRow, text: string) {
    const to = this.d.people.directTo(e.created_by, this.d.collabs.chat(e.chat_id)?.platform);
    if (to) this.d.outbox.enqueue(to, { text }, { idemKey: `election:${e.id}:creator`, origin: `election:${e.id}` });
  }

  tzOf(e: Pick<ElectionRow, 'collab_id'>): string {
    return this.d.collabs.timeZone(e.collab_id);
  }
}
