// Builds the transparency site from the database: every page as a string, so
// `npm run site` writes them to a folder and the live server serves them.
import { Eta } from 'eta';
import { DateTime } from 'luxon';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMoney, plainPounds } from '../grants/money.js';
import type { DB } from '../storage/db.js';
import { toCsv } from '../text/csv.js';
import { plural } from '../text/format.js';
import { periodShortLabel } from '../measures/period.js';
import { barChart, lineChart } from './charts.js';
import { loadSiteData, type Measure, type SiteData } from './data.js';
import { atomFeed } from './feed.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// Autoescape on: every <%= %> is HTML-escaped; only pre-rendered SVG and our own includes use <%~ %>.
const eta = new Eta({ views: join(HERE, 'templates'), autoEscape: true, cache: true });
const CSS = readFileSync(join(HERE, 'style.css'), 'utf8');

export const PAGES = [
  { file: 'index.html', title: 'Home', template: 'home' },
  { file: 'grants.html', title: 'Grants', template: 'grants' },
  { file: 'outcomes.html', title: 'Outcomes', template: 'outcomes' },
  { file: 'decisions.html', title: 'Decisions', template: 'decisions' },
  { file: 'delegates.html', title: 'Delegates', template: 'delegates' },
  { file: 'collabs.html', title: 'Collabs', template: 'collabs' },
] as const;

export interface SiteOptions {
  now: number;
  tz: string;
  /** The site's name in titles and the feed. */
  site?: string;
  /** Where the site is published, for absolute links in the feed. */
  baseUrl?: string;
}

export interface Chart {
  svg: string;
  caption: string;
  head: string[];
  rows: string[][];
}

const poundsOf = (pence: number) => pence / 100;

async function measureChart(m: Measure): Promise<Chart | null> {
  if (!m.total.points.length) return null;
  const series = [m.total, ...m.collabs];
  // Short month names on the axis (they must fit a phone); full names in the table.
  const order = m.total.points.map((p) => periodShortLabel(p.period));
  const what = m.kind === 'month' ? 'Month' : m.kind === 'quarter' ? 'Quarter' : 'Year';
  const caption = `${m.name}: the collective total and each publishing collab, per ${what.toLowerCase()}`;
  const svg = await lineChart({
    title: `${m.name} (${m.unit})`,
    description: caption,
    xTitle: what,
    yTitle: `${m.name} (${m.unit})`,
    order,
    points: series.flatMap((s) => s.points.map((p) => ({ series: s.name, period: p.period, label: periodShortLabel(p.period), value: p.value }))),
  });
  const rows = m.total.points.map((t) => [t.label, ...series.map((s) => s.points.find((p) => p.period === t.period)?.shown ?? '—')]);
  return { svg, caption, head: [what, ...series.map((s) => s.name)], rows };
}

/** Every file of the site, by name. */
export async function buildSite(db: DB, opts: SiteOptions): Promise<Map<string, string>> {
  const data = loadSiteData(db, opts);
  return renderSite(data, opts);
}

export async function renderSite(data: SiteData, opts: SiteOptions): Promise<Map<string, string>> {
  const site = opts.site ?? 'The Collective: decisions, grants and impact';
  const built = DateTime.fromMillis(data.builtAt, { zone: data.tz });
  const outcomeNames = new Map(data.outcomes.map((o) => [o.slug, o.wording]));
  const h = {
    money: formatMoney,
    plural,
    day: (ms: number) => DateTime.fromMillis(ms, { zone: data.tz }).toFormat('d LLLL yyyy'),
    outcomeName: (slug: string) => outcomeNames.get(slug),
    slug: (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'collab',
  };

  const anyBudget = data.funds.some((f) => f.budget || f.reserved);
  const fundsChart: Chart | null = anyBudget
    ? {
        svg: await barChart({
          title: 'The three funds',
          description: 'Budget, reserved, paid and remaining amount of each fund, in pounds',
          xTitle: 'Fund',
          yTitle: 'Amount (£)',
          bars: data.funds.flatMap((f) => [
            { label: f.name, group: 'Budget', value: poundsOf(f.budget) },
            { label: f.name, group: 'Reserved', value: poundsOf(f.reserved) },
            { label: f.name, group: 'Paid', value: poundsOf(f.paid) },
            { label: f.name, group: 'Remaining', value: poundsOf(Math.max(0, f.remaining)) },
          ]),
        }),
        caption: 'Budget, reserved, paid and remaining, per fund (£)',
        head: ['Fund', 'Budget', 'Reserved', 'Paid', 'Remaining'],
        rows: data.funds.map((f) => [f.name, formatMoney(f.budget), formatMoney(f.reserved), formatMoney(f.paid), formatMoney(f.remaining)]),
      }
    : null;

  const perFund = data.funds.map((f) => ({ f, grants: data.grants.filter((g) => g.category === f.category) }));
  const fundTotalsChart: Chart | null = data.grants.length
    ? {
        svg: await barChart({
          title: 'Grants per fund',
          description: 'Total of approved, paid and reported grants in each fund, in pounds',
          xTitle: 'Fund',
          yTitle: 'Granted (£)',
          bars: perFund.map(({ f, grants }) => ({ label: f.name, value: poundsOf(grants.reduce((s, g) => s + g.amount, 0)) })),
        }),
        caption: 'Total granted per fund (£)',
        head: ['Fund', 'Grants', 'Total'],
        rows: perFund.map(({ f, grants }) => [f.name, String(grants.length), formatMoney(grants.reduce((s, g) => s + g.amount, 0))]),
      }
    : null;

  const untagged = data.grants.filter((g) => !g.outcomeSlug || !outcomeNames.has(g.outcomeSlug));
  const outcomeRows = [
    ...data.outcomes.map((o) => ({ label: `${o.number}. ${o.name}`, grants: o.grants })),
    { label: 'Not tagged yet', grants: untagged },
  ];
  const outcomeChart: Chart | null = data.grants.length
    ? {
        svg: await barChart({
          title: 'Grants per outcome',
          description: 'Total of grants per outcome, in pounds',
          xTitle: 'Outcome',
          yTitle: 'Granted (£)',
          width: 360,
          bars: outcomeRows.map((r) => ({ label: r.label, value: poundsOf(r.grants.reduce((s, g) => s + g.amount, 0)) })),
        }),
        caption: 'Total granted per outcome (£): the outcome a grant is tagged with, or else the one its report shows',
        head: ['Outcome', 'Grants', 'Total'],
        rows: outcomeRows.map((r) => [r.label, String(r.grants.length), formatMoney(r.grants.reduce((s, g) => s + g.amount, 0))]),
      }
    : null;

  const outcomes = await Promise.all(
    data.outcomes.map(async (o) => ({ ...o, measures: await Promise.all(o.measures.map(async (m) => ({ ...m, chart: await measureChart(m) }))) })),
  );

  const common = {
    site,
    data,
    h,
    nav: PAGES,
    tz: data.tz,
    builtIso: built.toISO({ suppressMilliseconds: true }),
    builtText: built.toFormat("d LLLL yyyy 'at' HH:mm"),
    fundsChart,
    fundTotalsChart,
    outcomeChart,
    outcomes,
  };
  const files = new Map<string, string>();
  for (const p of PAGES) files.set(p.file, eta.render(`./${p.template}`, { ...common, file: p.file, title: p.title }));
  files.set('style.css', CSS);
  files.set('feed.xml', atomFeed(data, { site, baseUrl: opts.baseUrl }));
  files.set('grants.csv', grantsCsv(data));
  return files;
}

/** Grants as CSV; text typed by people is kept from running as a spreadsheet formula. */
export function grantsCsv(data: SiteData): string {
  const cell = (t: string | null) => t ?? '';
  const day = (ms: number | null) => (ms === null ? '' : DateTime.fromMillis(ms, { zone: data.tz }).toISODate()!);
  // toCsv keeps text typed by people from running as a spreadsheet formula.
  return toCsv([
    ['grant', 'fund', 'collab', 'purpose', 'amount_gbp', 'decided', 'decided_how', 'state', 'paid', 'reported', 'outcome'],
    ...data.grants.map((g) => [g.id, g.fund_name, cell(g.collab_name), cell(g.purpose), plainPounds(g.amount), day(g.decided_at), cell(g.decidedHow), g.state, day(g.paid_at), day(g.report_at), g.outcomeSlug ?? '']),
  ]);
}
