// Everything the public site shows, read once from the database into plain
// values (the pages and the feed are built from this, never from SQL).
import { formatMoney } from '../grants/money.js';
import { figureWithUnit } from '../measures/figure.js';
import { periodKind, periodLabel, periodSortKey, type PeriodKind } from '../measures/period.js';
import { buildResult } from '../polls/tally.js';
import type { DB } from '../storage/db.js';
import { SiteRepo, type SiteGrantRow, type SiteMinutesRow, type SitePollRow, type SiteStoryRow } from './repo.js';

/** The wording agreed with the Scottish Government, for the six default tags. */
export const OUTCOME_WORDING: Record<string, string> = {
  involved: 'People are more involved in their community',
  collaboration: 'Improved cross sector collaboration',
  'shared-agendas': 'Third sector organisations are better able to lead and develop shared agendas',
  'local-need': 'Third sector organisations are better able to respond to local need',
  decisions: 'Key decision making includes third sector input',
  economy: 'Third sector organisations are better able to contribute to a strong and inclusive local social economy',
};

export interface Fund { category: string; name: string; budget: number; reserved: number; paid: number; remaining: number }
export interface Grant extends SiteGrantRow { decidedHow: string; outcomeSlug: string | null }
export interface Decision extends SitePollRow { results: { label: string; count: number; mean?: number }[]; countsOnly: boolean; summary: string }
export interface Story extends SiteStoryRow { shownAs: string }
export interface Series { name: string; points: { period: string; label: string; value: number; shown: string }[] }
export interface Measure { id: number; name: string; unit: string; outcome: string; description: string | null; kind: PeriodKind | null; total: Series; collabs: Series[] }
export interface Outcome { slug: string; number: number; name: string; wording: string; measures: Measure[]; stories: Story[]; grants: Grant[]; grantTotal: number }

export interface SiteData {
  builtAt: number;
  tz: string;
  funds: Fund[];
  grants: Grant[];
  decisions: Decision[];
  stories: Story[];
  minutes: SiteMinutesRow[];
  delegates: { body: string; people: { name: string; since: number }[] }[];
  leads: string[];
  collabs: { name: string; about: string | null; members: number; decisions: Decision[]; stories: Story[] }[];
  outcomes: Outcome[];
}

function describeResult(poll: SitePollRow, results: Decision['results'], type: SitePollRow['type']): string {
  if (!poll.voters) return 'Nobody voted.';
  const r = buildResult({ type, options: results.map((o, i) => ({ idx: i + 1, label: o.label })), counts: results.map((o, i) => ({ idx: i + 1, n: o.count, mean: o.mean ?? null })), voters: poll.voters, quorum: poll.quorum });
  if (r.proposal) return r.proposal.passed ? 'The proposal passed.' : 'The proposal did not pass.';
  const names = r.winners.map((w) => results[w - 1]!.label);
  if (type === 'ranked') return 'First preferences are shown; the winner is in the outcome statement.';
  return names.length === 1 ? `Most support: ${names[0]}.` : names.length ? `A tie between ${names.join(' and ')}.` : '';
}

export function loadSiteData(db: DB, opts: { now: number; tz: string }): SiteData {
  const repo = new SiteRepo(db);
  const funds = repo.funds().map((f) => ({ category: f.category, name: f.name, budget: f.budget, reserved: f.reserved, paid: f.paid, remaining: f.budget - f.reserved }));

  const decision = (p: SitePollRow): Decision => {
    const results = repo.options(p.id).map((o) => (p.type === 'score' ? { label: o.label, count: o.n, mean: o.n ? o.total / o.n : 0 } : { label: o.label, count: o.n }));
    return { ...p, results, countsOnly: p.anonymous === 1, summary: describeResult(p, results, p.type) };
  };

  const grants: Grant[] = repo.grants().map((g) => {
    let decidedHow: string;
    if (g.decided_by === 'poll' && g.poll_id !== null) {
      const poll = repo.poll(g.poll_id);
      const d = poll ? decision(poll) : undefined;
      decidedHow = d ? `Leads' poll #${g.poll_id}: ${d.results.map((o) => `${o.label} ${o.count}`).join(', ')}` : `Leads' poll #${g.poll_id}`;
    } else {
      const names = repo.approvers(g.id);
      decidedHow = names.length ? `Approved by ${names.length === 1 ? 'lead' : `${names.length} leads`}: ${names.join(', ')}` : 'Approved by the leads';
    }
    return { ...g, decidedHow, outcomeSlug: g.outcome ?? g.report_outcome };
  });

  const stories: Story[] = repo.stories().map((s) => ({ ...s, shownAs: s.author_name ?? s.collab_name }));
  const decisions = repo.polls().map(decision);

  const delegates = new Map<string, { name: string; since: number }[]>();
  for (const d of repo.delegates()) delegates.set(d.body, [...(delegates.get(d.body) ?? []), { name: d.name, since: d.since }]);

  const figures = repo.figures();
  const measures: Measure[] = repo.measures().map((m) => {
    const mine = figures.filter((f) => f.measure_id === m.id);
    // Chart the kind of period most figures were recorded for.
    const byKind = (['month', 'quarter', 'year'] as const).map((k) => [k, mine.filter((f) => periodKind(f.period) === k).length] as const);
    const best = byKind.reduce((a, b) => (b[1] > a[1] ? b : a));
    const kind = best[1] ? best[0] : null;
    const ofKind = mine.filter((f) => kind && periodKind(f.period) === kind);
    const periods = [...new Set(ofKind.map((f) => f.period))].sort((a, b) => (periodSortKey(a) < periodSortKey(b) ? -1 : 1));
    const point = (period: string, value: number) => ({ period, label: periodLabel(period), value: value / 100, shown: figureWithUnit(value, m.unit) });
    const total: Series = {
      name: 'Collective total',
      points: periods.map((p) => point(p, ofKind.filter((f) => f.period === p).reduce((s, f) => s + f.value, 0))),
    };
    const names = [...new Set(ofKind.filter((f) => f.published).map((f) => f.collab_name))].sort();
    const collabs = names.map((name) => ({ name, points: ofKind.filter((f) => f.collab_name === name).map((f) => point(f.period, f.value)) }));
    return { ...m, kind, total, collabs };
  });

  const outcomes: Outcome[] = repo.outcomes().map((o) => {
    const og = grants.filter((g) => g.outcomeSlug === o.slug);
    return {
      slug: o.slug,
      number: o.position,
      name: o.name,
      wording: OUTCOME_WORDING[o.slug] ?? o.name,
      measures: measures.filter((m) => m.outcome === o.slug),
      stories: stories.filter((s) => s.outcome === o.slug),
      grants: og,
      grantTotal: og.reduce((s, g) => s + g.amount, 0),
    };
  });

  return {
    builtAt: opts.now,
    tz: opts.tz,
    funds,
    grants,
    decisions,
    stories,
    minutes: repo.minutes(),
    delegates: [...delegates].map(([body, people]) => ({ body, people })),
    leads: repo.leads(),
    collabs: repo.collabs().map((c) => ({ name: c.name, about: c.about, members: c.members, decisions: decisions.filter((d) => d.collab_name === c.name), stories: stories.filter((s) => s.collab_name === c.name) })),
    outcomes,
  };
}

export { formatMoney };
