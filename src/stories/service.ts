// Real-life stories of the difference a collab made, each optionally tagged
// with one outcome from a list admins keep (six defaults, see 004_grants.sql).
import type { Clock } from '../clock.js';
import { UserError } from '../errors.js';
import type { DB } from '../storage/db.js';
import { storiesRepo, type OutcomeRow, type StoriesRepo } from './repo.js';

const SLUG = /^[a-z][a-z0-9-]{1,29}$/;

export class StoriesService {

  private readonly repo: StoriesRepo;
  private clock: Clock;

  constructor(d: { db: DB; clock: Clock }) {
    this.repo = storiesRepo(d.db);
    this.clock = d.clock;
  }

  /** Outcome tags people may use now (retired ones stay on old stories). */
  outcomes(): OutcomeRow[] {
    return this.repo.outcomes().filter((o) => o.retired_at === null);
  }

  /** The outcome a typed tag means: its slug, or the start of exactly one slug or name. */
  resolveOutcome(typed: string): OutcomeRow {
    const t = typed.trim().toLowerCase().replace(/^#/, '');
    const live = this.outcomes();
    const exact = live.find((o) => o.slug === t || o.name.toLowerCase() === t);
    if (exact) return exact;
    const starts = live.filter((o) => o.slug.startsWith(t) || o.name.toLowerCase().startsWith(t));
    if (t.length >= 3 && starts.length === 1) return starts[0]!;
    throw new UserError(
      `I don't know the outcome "${typed.slice(0, 40)}". Use one of these tags:\n${this.describeOutcomes()}\nFor example: /story Ten families now get fresh food every week --outcome local-need`,
    );
  }

  describeOutcomes(): string {
    return this.outcomes()
      .map((o) => `• ${o.slug} — ${o.name}`)
      .join('\n');
  }

  addOutcome(slug: string, name: string): 'added' | 'renamed' {
    const s = slug.trim().toLowerCase();
    if (!SLUG.test(s)) {
      throw new UserError('A tag is one short word people can type: small letters, digits and dashes, e.g. /outcome add food-access Better access to food');
    }
    const existing = this.repo.outcome(s);
    if (existing) {
      this.repo.reviveOutcome({ slug: s, name });
      return 'renamed';
    }
    this.repo.addOutcome(s, name);
    return 'added';
  }

  retireOutcome(slug: string): OutcomeRow {
    const o = this.resolveOutcome(slug);
    this.repo.retireOutcome({ slug: o.slug, now: this.clock.now() });
    return o;
  }

  /** Record a story; returns its number. */
  add(collabId: number, authorId: number, text: string, outcome: string | null, grantId: number | null = null): number {
    return this.repo.insert({ collabId, authorId, text, outcome, grantId, now: this.clock.now() });
  }

  list(collabId: number | null, outcome: string | null, limit = 10) {
    return { stories: this.repo.list({ collab: collabId, outcome, limit }), total: this.repo.count({ collab: collabId, outcome }) ?? 0 };
  }

  mergePerson(from: number, to: number) {
    this.repo.mergePerson({ from, to });
  }
}
