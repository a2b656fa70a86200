// The SQL for stories and their outcome tags. Prepared statements only, each declared once (src/storage/query.ts).
import type { DB } from '../storage/db.js';
import { queries } from '../storage/query.js';

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

/** Stories and outcome tags; each query is declared once and is the method. */
export function storiesRepo(db: DB) {
  const q = queries(db);
  return {
    outcomes: q.all<[], OutcomeRow>('SELECT * FROM story_outcomes ORDER BY position, slug'),
    outcome: q.one<[slug: string], OutcomeRow>('SELECT * FROM story_outcomes WHERE slug = ?'),
    addOutcome: q.run<[slug: string, name: string]>(
      'INSERT INTO story_outcomes (slug, name, position) VALUES (?, ?, (SELECT IFNULL(MAX(position), 0) + 1 FROM story_outcomes))',
    ),
    reviveOutcome: q.run<[{ slug: string; name: string }]>('UPDATE story_outcomes SET name = @name, retired_at = NULL WHERE slug = @slug'),
    retireOutcome: q.run<[{ slug: string; now: number }]>('UPDATE story_outcomes SET retired_at = @now WHERE slug = @slug AND retired_at IS NULL'),
    insert: q.insert<[{ collabId: number; authorId: number; text: string; outcome: string | null; grantId: number | null; now: number }]>(
      'INSERT INTO stories (collab_id, author_id, text, outcome, grant_id, created_at) VALUES (@collabId, @authorId, @text, @outcome, @grantId, @now)',
    ),
    list: q.all<[{ collab: number | null; outcome: string | null; limit: number }], StoryRow>(
      `SELECT s.*, c.name AS collab_name, p.display_name AS author_name, o.name AS outcome_name
       FROM stories s JOIN collabs c ON c.id = s.collab_id JOIN people p ON p.id = s.author_id
       LEFT JOIN story_outcomes o ON o.slug = s.outcome
       WHERE (@collab IS NULL OR s.collab_id = @collab) AND (@outcome IS NULL OR s.outcome = @outcome)
       ORDER BY s.id DESC LIMIT @limit`,
    ),
    count: q.value<[{ collab: number | null; outcome: string | null }], number>(
      'SELECT COUNT(*) FROM stories WHERE (@collab IS NULL OR collab_id = @collab) AND (@outcome IS NULL OR outcome = @outcome)',
    ),
    mergePerson: q.run<[{ from: number; to: number }]>('UPDATE stories SET author_id = @to WHERE author_id = @from'),
  };
}

export type StoriesRepo = ReturnType<typeof storiesRepo>;
