// The single transferable vote, counted as the Scottish Local Government
// Elections Order 2007 (Schedule 1, Part III) counts it: the Weighted Inclusive
// Gregory Method. A pure function of the ballots, the seats and a seed.
//
// - quota = floor(valid ballots / (seats + 1)) + 1; a ballot with no valid preference is not valid.
// - Reaching the quota elects. Surpluses move largest first, one per stage; every
//   ballot the elected candidate holds moves to its next continuing preference at
//   value × surplus ÷ the candidate's total, truncated to 5 decimal places.
// - With no surplus left, the candidate with fewest votes is excluded and all
//   their ballots move at their current values.
// - Ties (fewest votes, equal surpluses, order of election) are broken by the
//   most recent earlier stage where they differed, otherwise by lot: a draw from
//   a generator seeded with the poll's stored seed, so a recount is identical.
// - When the continuing candidates are as many as the seats left, all are elected.
//
// Values are whole numbers of 1/100,000 of a vote (UNIT = one vote), so sums are exact.

export const UNIT = 100_000;

export type StvTieBreak = 'earlier-stage' | 'lot';

export interface StvStage {
  /** 1 = first preferences. */
  number: number;
  kind: 'first' | 'surplus' | 'exclusion';
  /** The candidate whose surplus (or, excluded, whose ballots) moved at this stage. */
  from?: number;
  /** Surplus transfers: the surplus, and the transfer value of a ballot worth one vote (both in units). */
  surplus?: number;
  transferValue?: number;
  /** How `from` was chosen, if it was tied. */
  tieBreak?: StvTieBreak;
  /** Votes of every candidate after this stage (units), in candidate order. */
  votes: number[];
  /** Where the moved votes went (units), in candidate order of `to`. */
  moved: { to: number; votes: number }[];
  /** Non-transferable and lost to rounding at this stage, and in total so far (units). */
  nonTransferable: number;
  totalNonTransferable: number;
  lost: number;
  totalLost: number;
  /** Elected at this stage, in order of election; `lastSeats` when elected because continuing = seats left. */
  elected: number[];
  lastSeats?: boolean;
  /** Ties for order of election broken at this stage. */
  electionTieBreak?: StvTieBreak;
}

export interface StvResult {
  seats: number;
  candidates: number[];
  valid: number;
  /** Ballots with no valid preference. */
  invalid: number;
  /** In votes (a whole number). */
  quota: number;
  /** In order of election. */
  elected: number[];
  stages: StvStage[];
  seed: string;
  /** How many draws by lot the count needed. */
  draws: number;
}

/**
 * @param ballots each a ranking of candidate ids, favourite first
 * @param candidates every candidate id, in ballot-paper order
 */
export function countStv(ballots: number[][], candidates: number[], seats: number, seed: string): StvResult {
  if (!Number.isInteger(seats) || seats < 1) throw new RangeError('seats must be a positive whole number');
  const n = candidates.length;
  const slot = new Map(candidates.map((c, i) => [c, i]));

  // Ballots flattened: preferences as candidate slots, one run per ballot.
  let total = 0;
  for (const b of ballots) total += b.length;
  const prefs = new Int32Array(total);
  const start: number[] = [];
  let at = 0;
  let invalid = 0;
  for (const b of ballots) {
    const from = at;
    const seen = new Set<number>();
    for (const c of b) {
      const s = slot.get(c);
      if (s === undefined || seen.has(s)) continue;
      seen.add(s);
      prefs[at++] = s;
    }
    if (at === from) invalid++;
    else start.push(from);
  }
  const valid = start.length;
  start.push(at);
  const quota = Math.floor(valid / (seats + 1)) + 1;
  const Q = quota * UNIT;
  const result: StvResult = { seats, candidates, valid, invalid, quota, elected: [], stages: [], seed, draws: 0 };
  if (!valid) return result;

  const pos = new Int32Array(valid); // index into prefs of each ballot's current preference
  const value = new Float64Array(valid).fill(UNIT);
  const votes = new Array<number>(n).fill(0);
  const piles: number[][] = Array.from({ length: n }, () => []);
  const state = new Uint8Array(n); // 0 continuing, 1 elected, 2 excluded
  const pending: number[] = []; // elected candidates whose surplus has not moved yet
  const random = seededRandom(seed);
  let totalNT = 0;
  let totalLost = 0;

  for (let b = 0; b < valid; b++) {
    pos[b] = start[b]!;
    const c = prefs[start[b]!]!;
    piles[c]!.push(b);
    votes[c]! += UNIT;
  }

  const stages = result.stages;
  const lot = (tied: number[]): number => {
    result.draws++;
    const sorted = [...tied].sort((a, b) => a - b);
    return sorted[Math.floor(random() * sorted.length)]!;
  };
  /** Pick one of `tied`: the one best at the latest earlier stage where they differed (`better`), else by lot. */
  const breakTie = (tied: number[], better: (a: number, b: number) => boolean): { pick: number; how?: StvTieBreak } => {
    if (tied.length === 1) return { pick: tied[0]! };
    let left = tied;
    for (let s = stages.length - 2; s >= 0 && left.length > 1; s--) {
      const v = stages[s]!.votes;
      const best = left.reduce((x, y) => (better(v[y]!, v[x]!) ? y : x));
      left = left.filter((c) => v[c] === v[best]);
      if (left.length === 1) return { pick: left[0]!, how: 'earlier-stage' };
    }
    return { pick: lot(left), how: 'lot' };
  };
  const electReached = (stage: StvStage) => {
    const reached = [];
    for (let c = 0; c < n; c++) if (state[c] === 0 && votes[c]! >= Q) reached.push(c);
    orderAndElect(stage, reached, false);
  };
  /** Elect candidates at once: most votes first, ties by earlier stages, then lot. */
  const orderAndElect = (stage: StvStage, group: number[], lastSeats: boolean) => {
    let left = [...group];
    while (left.length) {
      const top = Math.max(...left.map((c) => votes[c]!));
      const { pick, how } = breakTie(left.filter((c) => votes[c] === top), (x, y) => x > y);
      if (how) stage.electionTieBreak = how;
      state[pick] = 1;
      result.elected.push(pick);
      stage.elected.push(pick);
      if (votes[pick]! > Q) pending.push(pick);
      left = left.filter((c) => c !== pick);
    }
    if (lastSeats && group.length) stage.lastSeats = true;
  };
  const snapshot = (stage: StvStage) => {
    stage.votes = [...votes];
    stage.totalNonTransferable = totalNT;
    stage.totalLost = totalLost;
  };
  /** Move ballots to their next continuing preference; `newValue` gives each ballot's value after the move. */
  const transfer = (from: number, stage: StvStage, newValue: (v: number) => number) => {
    const moved = new Array<number>(n).fill(0);
    let nt = 0;
    let kept = 0;
    for (const b of piles[from]!) {
      const v = newValue(value[b]!);
      value[b] = v;
      kept += v;
      let p = pos[b]! + 1;
      const end = start[b + 1]!;
      while (p < end && state[prefs[p]!] !== 0) p++;
      if (p >= end) {
        nt += v;
        continue;
      }
      pos[b] = p;
      const to = prefs[p]!;
      piles[to]!.push(b);
      moved[to]! += v;
    }
    piles[from] = [];
    for (let c = 0; c < n; c++) {
      if (!moved[c]) continue;
      votes[c]! += moved[c]!;
      stage.moved.push({ to: c, votes: moved[c]! });
    }
    stage.nonTransferable = nt;
    totalNT += nt;
    return kept;
  };

  const first: StvStage = newStage(1, 'first');
  stages.push(first);
  electReached(first);
  snapshot(first);

  for (;;) {
    if (result.elected.length >= seats) break;
    const continuing = [];
    for (let c = 0; c < n; c++) if (state[c] === 0) continuing.push(c);
    const last = stages[stages.length - 1]!;
    if (continuing.length <= seats - result.elected.length) {
      orderAndElect(last, continuing, true);
      break;
    }
    const stage = newStage(stages.length + 1, pending.length ? 'surplus' : 'exclusion');
    stages.push(stage);
    if (pending.length) {
      const top = Math.max(...pending.map((c) => votes[c]!));
      const { pick, how } = breakTie(pending.filter((c) => votes[c] === top), (x, y) => x > y);
      pending.splice(pending.indexOf(pick), 1);
      const T = votes[pick]!;
      const S = T - Q;
      stage.from = pick;
      stage.surplus = S;
      stage.transferValue = truncDiv(UNIT, S, T);
      if (how) stage.tieBreak = how;
      const kept = transfer(pick, stage, (v) => truncDiv(v, S, T));
      stage.lost = S - kept;
      totalLost += stage.lost;
      votes[pick] = Q;
    } else {
      const low = Math.min(...continuing.map((c) => votes[c]!));
      const { pick, how } = breakTie(continuing.filter((c) => votes[c] === low), (x, y) => x < y);
      stage.from = pick;
      if (how) stage.tieBreak = how;
      state[pick] = 2;
      transfer(pick, stage, (v) => v);
      votes[pick] = 0;
    }
    electReached(stage);
    snapshot(stage);
  }
  // Slots back to candidate ids.
  const id = (s: number) => candidates[s]!;
  result.elected = result.elected.map(id);
  for (const s of stages) {
    if (s.from !== undefined) s.from = id(s.from);
    s.elected = s.elected.map(id);
    s.moved = s.moved.map((m) => ({ to: id(m.to), votes: m.votes }));
  }
  return result;
}

function newStage(number: number, kind: StvStage['kind']): StvStage {
  return { number, kind, votes: [], moved: [], nonTransferable: 0, totalNonTransferable: 0, lost: 0, totalLost: 0, elected: [] };
}

/** floor(v × s ÷ t) exactly, in BigInt when the product would lose precision. */
function truncDiv(v: number, s: number, t: number): number {
  const p = v * s;
  if (p <= Number.MAX_SAFE_INTEGER) return Math.floor(p / t);
  return Number((BigInt(v) * BigInt(s)) / BigInt(t));
}

/** Votes to 2 decimal places (truncated, as the count truncates): `1234.56`. */
export function showVotes(units: number, places = 2): string {
  const whole = Math.floor(units / UNIT);
  if (places === 0) return String(whole);
  const frac = String(units % UNIT).padStart(5, '0').slice(0, places);
  return `${whole}.${frac}`;
}

/** A fresh seed for a new poll: 8 hex digits. */
export function newSeed(random: () => number = Math.random): string {
  return Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0');
}

/** A deterministic generator from a text seed (cyrb53 hash into mulberry32). */
export function seededRandom(seed: string): () => number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < seed.length; i++) {
    const ch = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  let a = (Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
