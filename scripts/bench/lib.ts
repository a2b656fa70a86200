// Shared helpers for benchmarks. Every result is one JSON line; where a
// baseline is measured in the same run, ratio = value / baseline, so noisy
// machines still give comparable numbers.
import { cpus } from 'node:os';

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
