// A poll's ballots as CSV for a spreadsheet. Anonymous polls: no voter
// identities, ballots sorted by content. Every cell goes through toCsv, which
// neutralises formulas.
import { UserError } from '../errors.js';
import { toCsv, trusted } from '../text/csv.js';
import { formatMoment } from '../time/dates.js';
import type { PollRow } from './repo.js';
import { pollResult, type PollSources } from './state.js';
import { stvTable } from './stv-render.js';
import type { StvPollRow } from './stv-repo.js';

const SIGNED_FIGURE = /^[+-]\d+(\.\d+)?$/;

/** Every ballot of the poll, with the option labels as column heads; `tz` for the vote times. */
/** `stv`: for stv polls, the seats and seed; the full stage table follows the ballots. */
export function pollCsv(poll: PollRow, src: PollSources, tz: string, stv?: StvPollRow): string {
  const { repo } = src;
  if (poll.status === 'open' && (poll.hidden || poll.anonymous)) {
    throw new UserError(`Poll #${poll.id} shows its results only when it closes, so it can be exported then. To close it: /poll close ${poll.id}`);
  }
  const options = repo.options(poll.id);
  const optionHeads = options.map((o) => `${o.idx}. ${o.label}`);
  // The count's signed figures (+1.63632) are ours; names in it are typed by people and stay neutralised.
  const figures = (row: (string | number)[]) => row.map((c) => (typeof c === 'string' && SIGNED_FIGURE.test(c) ? trusted(c) : c));
  const count = stv ? '\n' + toCsv(stvTable(pollResult(src, poll, { runoff: true, stv }, options).stv!, options).map(figures)) : '';
  if (poll.anonymous) {
    // Sorted by content: row order says nothing about who voted when.
    const rows = src.anonymous
      .all(poll.id)
      .map((b) => options.map((o) => b.find((e) => e.idx === o.idx)?.value ?? ''))
      .sort((a, b) => (a.join(',') < b.join(',') ? -1 : a.join(',') > b.join(',') ? 1 : 0))
      .map((cells, i) => [i + 1, ...cells]);
    return toCsv([['ballot', ...optionHeads], ...rows]) + count;
  }
  const byBallot = new Map<string, Map<number, number>>();
  for (const e of repo.allEntries(poll.id)) {
    if (!byBallot.has(e.ballot)) byBallot.set(e.ballot, new Map());
    byBallot.get(e.ballot)!.set(e.idx, e.value);
  }
  const cells = (ballot: string) => options.map((o) => byBallot.get(ballot)?.get(o.idx) ?? '');
  const named = repo.namedBallots(poll.id);
  const known = new Set(named.map((n) => n.ballot));
  const rows = named.map((n, i) => [i + 1, n.name, formatMoment(n.voted_at, tz), ...cells(n.ballot)]);
  // Ballots kept from a second account linked after a closed poll (see mergePerson).
  for (const b of [...byBallot.keys()].filter((b) => !known.has(b)).sort()) rows.push([rows.length + 1, '(second account, linked later)', '', ...cells(b)]);
  return toCsv([['ballot', 'voter', 'voted at', ...optionHeads], ...rows]) + count;
}
