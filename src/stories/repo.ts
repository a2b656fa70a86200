// The SQL for stories and their outcome tags. Prepared statements only.
import type { DB } from '../storage/db.js';

export interface OutcomeRow {
  slug: string;
  name: string;
  position: number;
  retired_at: number | null;
}

export interface StoryRow {
  id: number;
  collab_id: number;
  author_id: number;
  text: string;
  outcome: string | null;
  grant_id: number | null;
  created_at: number;
  collab_name: string;
  author_name: string;
  outcome_name: string | null;
}

export class StoriesRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      outcomes: db.prepare<[], OutcomeRow>('SELECT * FROM story_outcomes ORDER BY position, slug'),
      outcome: db.prepare<[string], OutcomeRow>('SELECT * FROM story_outcomes WHERE slug = ?'),
      addOutcome: db.prepare<[string, string]>(
        'INSERT INTO story_outcomes (slug, name, position) VALUES (?, ?, (SELECT IFNULL(MAX(position), 0) + 1 FROM story_outcomes))',
      ),
      reviveOutcome: db.prepare<[string, string]>('UPDATE story_outcomes SET name = ?, retired_at = NULL WHERE slug = ?'),
      retireOutcome: db.prepare<[number, string]>('UPDATE story_outcomes SET retired_at = ? WHERE slug = ? AND retired_at IS NULL'),
      insert: db.prepare<[number, number, string, string | null, number | null, number]>(
        'INSERT INTO stories (collab_id, author_id, text, outcome, grant_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      list: db.prepare<[{ collab: number | null; outcome: string | null; limit: number }], StoryRow>(
        `SELECT s.*, c.name AS collab_name, p.display_name AS author_name, o.name AS outcome_name
         FROM stories s JOIN collabs c ON c.id = s.collab_id JOIN people p ON p.id = s.author_id
         LEFT JOIN story_outcomes o ON o.slug = s.outcome
         WHERE (@collab IS NULL OR s.collab_id = @collab) AND (@outcome IS NULL OR s.outcome = @outcome)
         ORDER BY s.id DESC LIMIT @limit`,
      ),
      count: db.prepare<[{ collab: number | null; outcome: string | null }], { n: number }>(
        'SELECT COUNT(*) AS n FROM stories WHERE (@collab IS NULL OR collab_id = @collab) AND (@outcome IS NULL OR outcome = @outcome)',
      ),
      mergeAuthor: db.prepare<[number, number]>('UPDATE stories SET author_id = ? WHERE author_id = ?'),
    };
  }

  outcomes() {
    return this.s.outcomes.all();
  }
  outcome(slug: string) {
    return this.s.outcome.get(slug);
  }
  addOutcome(slug: string, name: string) {
    this.s.addOutcome.run(slug, name);
  }
  reviveOutcome(slug: string, name: string) {
    this.s.reviveOutcome.run(name, slug);
  }
  retireOutcome(slug: string, now: number) {
    return this.s.retireOutcome.run(now, slug).changes > 0;
  }
  insert(collabId: number, authorId: number, text: string, outcome: string | null, grantId: number | null, now: number): number {
    return Number(this.s.insert.run(collabId, authorId, text, outcome, grantId, now).lastInsertRowid);
  }
  list(collab: number | null, outcome: string | null, limit: number) {
    return this.s.list.all({ collab, outcome, limit });
  }
  count(collab: number | null, outcome: string | null) {
    return this.s.count.get({ collab, outcome })!.n;
  }
  mergePerson(from: number, to: number) {
    this.s.mergeAuthor.run(to, from);
  }
}
