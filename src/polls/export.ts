// A poll's ballots as CSV for a spreadsheet. Anonymous polls: no voter
// identities, ballots in random order.
import { stringify } from 'csv-stringify/sync';
import { UserError } from '../errors.js';
import { formatMoment } from '../time/dates.js';
import type { PollRow, PollsRepo } from './repo.js';
import { pollResult } from './state.js';
import { stvTable } from './stv-render.js';
import type { StvPollRow } from './stv-repo.js';

/** Every ballot of the poll, with the option labels as column heads; `tz` for the vote times. */
/** `stv`: for stv polls, the seats and seed; the full stage table follows the ballots. */
export function pollCsv(poll: PollRow, repo: PollsRepo, tz: string, stv?: StvPollRow): string {
  if (poll.status === 'open' && (poll.hidden || poll.anonymous)) {
    throw new UserError(`Poll #${poll.id} shows its results only when it closes, so it can be exported then. To close it: /poll close ${poll.id}`);
  }
  const options = repo.options(poll.id);
  const byBallot = new Map<string, Map<number, number>>();
  for (const e of repo.allEntries(poll.id)) {
    if (!byBallot.has(e.ballot)) byBallot.set(e.ballot, new Map());
    byBallot.get(e.ballot)!.set(e.idx, e.value);
  }
  const cells = (ballot: string) => options.map((o) => byBallot.get(ballot)?.get(o.idx) ?? '');
  const optionHeads = options.map((o) => `${o.idx}. ${o.label}`);
  const count = stv ? '\n' + stringify(stvTable(pollResult(repo, poll, { runoff: true, stv }, options).stv!, options)) : '';
  if (poll.anonymous) {
    // Token order is random: row order says nothing about who voted when.
    const rows = [...byBallot.keys()].sort().map((b, i) => [i + 1, ...cells(b)]);
    return stringify([['ballot', ...optionHeads], ...rows]) + count;
  }
  const named = repo.namedBallots(poll.id);
  const known = new Set(named.map((n) => n.ballot));
  const rows = named.map((n, i) => [i + 1, n.name, formatMoment(n.voted_at, tz), ...cells(n.ballot)]);
  // Ballots kept from a second account linked after a closed poll (see mergePerson).
  for (const b of [...byBallot.keys()].filter((b) => !known.has(b)).sort()) rows.push([rows.length + 1, '(second account, linked later)', '', ...cells(b)]);
  return stringify([['ballot', 'voter', 'voted at', ...optionHeads], ...rows]) + count;
}
