// How an stv count reads: short stage lines that fit a phone (results), and the
// full stage table as CSV rows (/poll export).
import { listWords, plural } from '../text/format.js';
import type { Option } from './ballot.js';
import { showVotes, type StvResult, type StvStage } from './stv.js';

const name = (options: Option[], idx: number) => options.find((o) => o.idx === idx)?.label ?? `option ${idx}`;

/** `Elected: Ana, Cara` (in order of election): the first line of the results. */
export function electedLine(r: StvResult, options: Option[], closed: boolean): string {
  if (!r.valid) return closed ? 'Elected: nobody (no valid ballots).' : 'Nobody has voted yet.';
  const names = r.elected.map((i) => name(options, i)).join(', ');
  return closed ? `Elected: ${names}` : `If it closed now: ${names}`;
}

export function stvLines(r: StvResult, options: Option[]): string[] {
  if (!r.valid) return [];
  const lines = [
    `${plural(r.seats, 'seat')}; ${plural(r.valid, 'valid ballot')}${r.invalid ? ` (${r.invalid} with no valid preference)` : ''}; ` +
      `quota ${r.quota} (${r.valid} ÷ ${r.seats + 1}, plus 1, ignoring fractions).`,
  ];
  for (const s of r.stages) lines.push(stageLine(r, s, options));
  if (r.draws) lines.push(`${plural(r.draws, 'tie was', 'ties were')} broken by lot, drawn with this poll's stored seed ${r.seed}: a recount gives the same result.`);
  else lines.push(`Seed for any draw by lot: ${r.seed} (none was needed).`);
  return lines;
}

function stageLine(r: StvResult, s: StvStage, options: Option[]): string {
  const n = (i: number) => name(options, i);
  let what: string;
  if (s.kind === 'first') what = 'first preferences.';
  else {
    const from = n(s.from!);
    const tie = s.tieBreak === 'lot' ? ' (tied: drawn by lot)' : s.tieBreak === 'earlier-stage' ? ' (tied: decided by an earlier stage)' : '';
    what =
      s.kind === 'surplus'
        ? `${from}'s surplus of ${showVotes(s.surplus!)}${tie} moves at ${showVotes(s.transferValue!, 5)} a ballot`
        : `${from} is excluded${tie} with the fewest votes; their ballots move`;
    const moved = s.moved.map((m) => `${n(m.to)} +${showVotes(m.votes)}`);
    const extra = [s.nonTransferable ? `non-transferable ${showVotes(s.nonTransferable)}` : '', s.lost ? `lost to rounding ${showVotes(s.lost, 5)}` : ''].filter(Boolean);
    what += `: ${[...moved, ...extra].join(', ') || 'nowhere'}.`;
  }
  // Candidates still in the count (elected or continuing), most votes first.
  const standing = r.candidates
    .map((c, i) => ({ c, v: s.votes[i]! }))
    .filter(({ c, v }) => v > 0 || !excludedBy(r, s, c))
    .sort((a, b) => b.v - a.v)
    .map(({ c, v }) => `${n(c)} ${showVotes(v)}`);
  let line = `Stage ${s.number}, ${what} ${standing.join(', ')}.`;
  const sofar = [s.totalNonTransferable ? `non-transferable ${showVotes(s.totalNonTransferable)}` : '', s.totalLost ? `lost to rounding ${showVotes(s.totalLost, 5)}` : ''].filter(Boolean);
  if (sofar.length && s.kind !== 'first') line += ` (So far: ${sofar.join('; ')}.)`;
  if (s.elected.length) line += ` Elected: ${listWords(s.elected.map(n))}${s.lastSeats ? ' (as many candidates left as seats)' : ''}.`;
  return line;
}

function excludedBy(r: StvResult, upTo: StvStage, c: number): boolean {
  return r.stages.some((s) => s.number <= upTo.number && s.kind === 'exclusion' && s.from === c);
}

/** The full stage table: one row per candidate, two columns per stage (the transfer, then the total), to 5 places. */
export function stvTable(r: StvResult, options: Option[]): (string | number)[][] {
  const head: (string | number)[] = ['candidate'];
  for (const s of r.stages) {
    if (s.kind === 'first') head.push('stage 1: first preferences');
    else {
      head.push(`stage ${s.number}: ${s.kind === 'surplus' ? 'surplus of' : 'exclusion of'} ${name(options, s.from!)}`, `stage ${s.number} total`);
    }
  }
  const rows: (string | number)[][] = [head];
  const delta = (s: StvStage, prev: number, now: number) => (now - prev >= 0 ? '+' : '-') + showVotes(Math.abs(now - prev), 5);
  r.candidates.forEach((c, i) => {
    const row: (string | number)[] = [name(options, c)];
    r.stages.forEach((s, k) => {
      if (k === 0) return row.push(showVotes(s.votes[i]!, 5));
      row.push(delta(s, r.stages[k - 1]!.votes[i]!, s.votes[i]!), showVotes(s.votes[i]!, 5));
    });
    rows.push(row);
  });
  const extra = (label: string, stageValue: (s: StvStage) => number, total: (s: StvStage) => number) => {
    const row: (string | number)[] = [label];
    r.stages.forEach((s, k) => (k === 0 ? row.push(showVotes(total(s), 5)) : row.push('+' + showVotes(stageValue(s), 5), showVotes(total(s), 5))));
    rows.push(row);
  };
  extra('non-transferable', (s) => s.nonTransferable, (s) => s.totalNonTransferable);
  extra('lost to rounding', (s) => s.lost, (s) => s.totalLost);
  rows.push(['quota', r.quota], ['valid ballots', r.valid], ['elected, in order', r.elected.map((i) => name(options, i)).join('; ')], ['seed', r.seed]);
  return rows;
}
