// Shared measures: leads define them (name, unit, outcome), collabs record a
// figure per period, and everyone sees each collab's latest figures and the
// collective total per period with its trend.
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import { UserError } from '../errors.js';
import type { DB } from '../storage/db.js';
import type { OutcomeRow } from '../stories/repo.js';
import type { StoriesService } from '../stories/service.js';
import { toCsv } from '../text/csv.js';
import { clip } from '../text/format.js';
import { readFigure, unitAllowsDecimals } from './figure.js';
import { periodKind, periodOf, periodSortKey, previousPeriod, readPeriod, type PeriodKind } from './period.js';
import { MeasuresRepo, type FigureRow, type MeasureRow } from './repo.js';

export interface MeasuresDeps {
  db: DB;
  clock: Clock;
  stories: StoriesService;
}

export interface PeriodTotal {
  period: string;
  total: number;
  collabs: number;
  /** The total of the period before, of the same kind, when any figure was recorded for it. */
  previous: number | null;
}

export interface MeasureSummary {
  measure: MeasureRow;
  /** Each collab's figure for its latest period. */
  latest: FigureRow[];
  /** Collective totals, per kind of period, oldest first. */
  totals: Record<PeriodKind, PeriodTotal[]>;
}

const NAME_EXAMPLE = '/measure define "People supported" --unit people --outcome involved';

export class MeasuresService {
  readonly repo: MeasuresRepo;
  constructor(private deps: MeasuresDeps) {
    this.repo = new MeasuresRepo(deps.db);
  }

  list(): MeasureRow[] {
    return this.repo.all();
  }

  /** A typed outcome: its tag (`involved`) or its number (1–6). */
  outcome(typed: string): OutcomeRow {
    const t = typed.trim();
    if (/^\d+$/.test(t)) {
      const live = this.deps.stories.outcomes();
      const o = live.find((x) => x.position === Number(t));
      if (o) return o;
      throw new UserError(`There is no outcome number ${clip(t, 5)}. Use a number from 1 to ${live.length} or a tag:\n${this.deps.stories.describeOutcomes()}\nFor example: ${NAME_EXAMPLE}`);
    }
    return this.deps.stories.resolveOutcome(t);
  }

  define(by: number, name: string, unit: string, outcomeTyped: string, description: string | null, decimals?: boolean) {
    const clean = name.trim().replace(/\s+/g, ' ');
    if (clean.length < 3 || clean.length > 60) throw new UserError(`Give the measure a short name of 3 to 60 characters, in quotes.\nFor example: ${NAME_EXAMPLE}`);
    if (/^\d+$/.test(clean)) throw new UserError(`A measure's name needs words, not only digits.\nFor example: ${NAME_EXAMPLE}`);
    const u = unit.trim();
    if (!u || u.length > 20) throw new UserError(`Say what the figures count in a word or two, e.g. --unit people or --unit hours.\nFor example: ${NAME_EXAMPLE}`);
    const outcome = this.outcome(outcomeTyped);
    const allow = decimals ?? unitAllowsDecimals(u);
    const existing = this.repo.byName(clean);
    if (existing) {
      this.repo.update(existing.id, u, outcome.slug, description, allow);
      return { measure: this.repo.byName(clean)!, created: false };
    }
    this.repo.insert(clean, u, outcome.slug, description, allow, by, this.deps.clock.now());
    return { measure: this.repo.byName(clean)!, created: true };
  }

  require(typed: string): MeasureRow {
    const name = typed.trim().replace(/\s+/g, ' ');
    const exact = this.repo.byName(name);
    if (exact) return exact;
    const all = this.repo.all();
    const starts = all.filter((m) => m.name.toLowerCase().startsWith(name.toLowerCase()));
    if (name.length >= 3 && starts.length === 1) return starts[0]!;
    const known = all.length ? `The measures are: ${all.map((m) => `"${m.name}"`).join(', ')}.` : 'No measures are defined yet; a lead can add one, e.g. ' + NAME_EXAMPLE;
    const example = all.length ? `/measure show "${all[0]!.name}"` : NAME_EXAMPLE;
    throw new UserError(`I don't know the measure "${clip(typed, 40)}". ${known}\nType /measures to see them. For example: ${example}`);
  }

  /** Record a figure; returns the figure it replaced, if any. */
  add(by: number, collabId: number, tz: string, measureTyped: string, figureTyped: string, periodTyped: string | undefined) {
    const measure = this.require(measureTyped);
    const now = this.deps.clock.now();
    const month = DateTime.fromMillis(now, { zone: tz }).toFormat('LLLL').toLowerCase();
    const example = `/measure add "${measure.name}" 120 for ${month}`;
    const figure = readFigure(figureTyped, measure.decimals === 1, measure.decimals ? `/measure add "${measure.name}" 12.5` : example);
    if (!figure.ok) throw new UserError(figure.message);
    let period = periodOf(now, tz);
    if (periodTyped !== undefined) {
      const p = readPeriod(periodTyped, now, tz);
      if (!p.ok) throw new UserError(p.message);
      period = p.period;
    }
    const current = this.repo.current(measure.id, collabId, period);
    if (current) this.repo.replace(current.id, now);
    this.repo.record(measure.id, collabId, period, figure.hundredths, by, now);
    return { measure, period, value: figure.hundredths, replaced: current?.value ?? null };
  }

  summary(measure: MeasureRow): MeasureSummary {
    return summarise(measure, this.repo.figures(measure.id));
  }

  /** Every figure ever recorded, replaced ones too, as CSV (times in `tz`). */
  exportCsv(tz: string): { csv: string; rows: number } {
    const rows = this.repo.allFigures();
    const csv = toCsv([
      ['measure', 'unit', 'outcome', 'collab', 'period', 'value', 'recorded_at', 'recorded_by', 'status'],
      ...rows.map((r) => [
        cell(r.measure_name), cell(r.unit), r.outcome, cell(r.collab_name), r.period, (r.value / 100).toFixed(2).replace(/\.00$/, ''),
        DateTime.fromMillis(r.recorded_at, { zone: tz }).startOf('second').toISO({ suppressMilliseconds: true }),
        cell(r.recorded_by_name), r.replaced_at === null ? 'current' : 'replaced',
      ]),
    ]);
    return { csv, rows: rows.length };
  }

  mergePerson(from: number, to: number) {
    this.repo.mergePerson(from, to);
  }
}

/** Latest figure per collab and collective totals per period, from the current figures. */
export function summarise(measure: MeasureRow, figures: FigureRow[]): MeasureSummary {
  const latestBy = new Map<number, FigureRow>();
  for (const f of figures) {
    const cur = latestBy.get(f.collab_id);
    if (!cur || periodSortKey(f.period) > periodSortKey(cur.period)) latestBy.set(f.collab_id, f);
  }
  const sums = new Map<string, { total: number; collabs: number }>();
  for (const f of figures) {
    const s = sums.get(f.period) ?? { total: 0, collabs: 0 };
    s.total += f.value;
    s.collabs += 1;
    sums.set(f.period, s);
  }
  const totals: Record<PeriodKind, PeriodTotal[]> = { month: [], quarter: [], year: [] };
  for (const [period, s] of [...sums].sort((a, b) => (periodSortKey(a[0]) < periodSortKey(b[0]) ? -1 : 1))) {
    totals[periodKind(period)].push({ period, ...s, previous: sums.get(previousPeriod(period))?.total ?? null });
  }
  return { measure, latest: [...latestBy.values()].sort((a, b) => a.collab_name.localeCompare(b.collab_name)), totals };
}

/** Text typed by people: a leading = + - @ would run as a formula in a spreadsheet. */
/** Text typed by people (toCsv neutralises formulas). */
function cell(text: string | null): string {
  return text ?? '';
}
