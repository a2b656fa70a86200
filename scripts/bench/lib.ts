// Shared helpers for benchmarks. Every result is one JSON line; where a
// baseline is measured in the same run, ratio = value / baseline, so noisy
// machines still give comparable numbers.
import { cpus } from 'node:os';

// Seeded random numbers and shuffling, shared with the tests' fake platforms.
export { seeded, shuffle } from '../../test/helpers/fake-platform.js';

export interface Result {
  bench: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  /** What the issue asks for, e.g. "ratio >= 0.25". */
  goal?: string;
  met?: boolean;
  note?: string;
  /** What limits the figure (shown as why, when the goal is not met). */
  limits?: string;
}

export interface BenchContext {
  quick: boolean;
}

export type Bench = (ctx: BenchContext) => Promise<Result[]>;

export function result(r: Result): Result {
  const out = { ...r };
  if (out.baseline !== undefined && out.ratio === undefined && out.baseline !== 0) out.ratio = round(out.value / out.baseline, 4);
  out.value = round(out.value, 4);
  if (out.baseline !== undefined) out.baseline = round(out.baseline, 4);
  return out;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function machine() {
  const c = cpus();
  return { cpu: c[0]?.model ?? 'unknown', cores: c.length, node: process.version, date: new Date().toISOString() };
}

/** Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1)^s (Zipf's law). */
export function zipf(n: number, random: () => number, s = 1): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1) ** s;
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Milliseconds each run of `fn` took, sorted ascending. */
export function sample(runs: number, fn: (i: number) => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = nowMs();
    fn(i);
    out.push(nowMs() - t);
  }
  return out.sort((a, b) => a - b);
}
