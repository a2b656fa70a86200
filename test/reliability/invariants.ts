// Checks that must hold after any sequence of commands, however hostile.
import { expect } from 'vitest';
import { ledgerDiscrepancies } from '../../src/grants/ledger.js';
import type { DB } from '../../src/storage/db.js';

/** Named ballots (rows of poll_ballots) and anonymous ones (JSON lists, migration 150), as one table. */
const ALL_BALLOTS = `WITH all_ballots AS (
  SELECT poll_id, ballot, option_idx, value FROM poll_ballots
  UNION ALL
  SELECT a.poll_id, 'anonymous:' || b.key, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]')
  FROM poll_anonymous_ballots a, json_each(a.ballots) b, json_each(b.value) e)`;

const BOOKKEEPING = new Set(['inbound_events', 'outbox', 'message_refs', 'link_codes', 'schema_migrations']);

export function expectConsistent(db: DB) {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  // Grant fund totals equal the ledger.
  expect(ledgerDiscrepancies(db)).toEqual([]);
  // One vote per person per poll.
  expect(pollDiscrepancies(db)).toEqual([]);
}

/**
 * Every way the polls' ballots break "one vote per person per poll" (empty when
 * they keep it): each poll has exactly one ballot per voter (plus the ballots
 * kept from accounts linked later, which the poll counts); a named voter's
 * ballot exists and is nobody else's; each ballot has the shape its poll allows.
 */
export function pollDiscrepancies(db: DB): string[] {
  const out: string[] = [];
  const counts = db
    .prepare(
      `${ALL_BALLOTS} SELECT p.id, p.linked_double_votes AS doubles,
              (SELECT COUNT(*) FROM poll_voters v WHERE v.poll_id = p.id) AS voters,
              (SELECT COUNT(DISTINCT b.ballot) FROM all_ballots b WHERE b.poll_id = p.id) AS ballots
       FROM polls p`,
    )
    .all() as { id: number; doubles: number; voters: number; ballots: number }[];
  for (const c of counts) {
    if (c.ballots !== c.voters + c.doubles) out.push(`poll #${c.id}: ${c.ballots} ballots for ${c.voters} voters (${c.doubles} linked doubles)`);
  }
  const orphans = db
    .prepare(
      `SELECT v.poll_id, v.person_id FROM poll_voters v JOIN polls p ON p.id = v.poll_id
       WHERE p.anonymous = 0 AND (v.ballot IS NULL OR NOT EXISTS (SELECT 1 FROM poll_ballots b WHERE b.poll_id = v.poll_id AND b.ballot = v.ballot))`,
    )
    .all() as { poll_id: number; person_id: number }[];
  for (const o of orphans) out.push(`poll #${o.poll_id}: person ${o.person_id} voted but has no ballot`);
  const shared = db.prepare(`SELECT poll_id, ballot FROM poll_voters WHERE ballot IS NOT NULL GROUP BY poll_id, ballot HAVING COUNT(*) > 1`).all() as { poll_id: number }[];
  for (const s of shared) out.push(`poll #${s.poll_id}: one ballot belongs to two voters`);
  const linked = db.prepare(`SELECT v.poll_id FROM poll_voters v JOIN polls p ON p.id = v.poll_id WHERE p.anonymous = 1 AND (v.ballot IS NOT NULL OR v.voted_at IS NOT NULL)`).all() as { poll_id: number }[];
  for (const l of linked) out.push(`poll #${l.poll_id}: an anonymous vote is linked to its voter`);
  const shapes = db
    .prepare(
      `${ALL_BALLOTS} SELECT p.id, p.type, p.multi, b.ballot, COUNT(*) AS n, MIN(b.value) AS lo, MAX(b.value) AS hi, COUNT(DISTINCT b.value) AS distinct_values,
              SUM(NOT EXISTS (SELECT 1 FROM poll_options o WHERE o.poll_id = p.id AND o.idx = b.option_idx)) AS unknown
       FROM all_ballots b JOIN polls p ON p.id = b.poll_id GROUP BY p.id, b.ballot`,
    )
    .all() as { id: number; type: string; multi: number; n: number; lo: number; hi: number; distinct_values: number; unknown: number }[];
  // The running tallies (kept by triggers) equal the ballots they are drawn from (named polls: anonymous ones keep none).
  const tallies = db
    .prepare(
      `SELECT p.id, p.voters, (SELECT COUNT(*) FROM poll_voters v WHERE v.poll_id = p.id) AS counted,
              (SELECT json_group_array(json_array(option_idx, n, total, firsts)) FROM (SELECT * FROM poll_tallies t WHERE t.poll_id = p.id AND t.n > 0 ORDER BY option_idx)) AS kept,
              (SELECT json_group_array(json_array(option_idx, n, total, firsts)) FROM (SELECT option_idx, COUNT(*) AS n, SUM(value) AS total, SUM(value = 1) AS firsts
                 FROM poll_ballots b WHERE b.poll_id = p.id GROUP BY option_idx ORDER BY option_idx)) AS derived
       FROM polls p`,
    )
    .all() as { id: number; voters: number; counted: number; kept: string; derived: string }[];
  for (const t of tallies) {
    if (t.voters !== t.counted) out.push(`poll #${t.id}: says ${t.voters} voters, has ${t.counted}`);
    if (t.kept !== t.derived) out.push(`poll #${t.id}: running tallies ${t.kept} differ from the ballots ${t.derived}`);
  }
  for (const b of shapes) {
    const ok =
      b.unknown === 0 &&
      (b.type === 'choice'
        ? b.n <= b.multi && b.lo === 1 && b.hi === 1
        : b.type === 'proposal'
          ? b.n === 1 && b.lo === 1 && b.hi === 1
          : b.type === 'ranked'
            ? b.lo === 1 && b.hi === b.n && b.distinct_values === b.n
            : b.lo >= 0 && b.hi <= 5);
    if (!ok) out.push(`poll #${b.id}: a ${b.type} ballot with ${b.n} entries, values ${b.lo}..${b.hi}`);
  }
  return out;
}

/** Everything the commands decided, for comparing two runs. */
export function domainSnapshot(db: DB): Record<string, unknown[]> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    if (BOOKKEEPING.has(t) || /_(data|idx|docsize|config|content)$/.test(t)) continue;
    // Ids and times are the same in both runs (same clock, same order); compare whole rows.
    out[t] = db.prepare(`SELECT * FROM "${t}"`).all();
  }
  // Ballot tokens are random: name each ballot by its voter instead (anonymous ones by nobody), in a fixed order.
  const owner = new Map((db.prepare('SELECT poll_id, ballot, person_id FROM poll_voters WHERE ballot IS NOT NULL').all() as { poll_id: number; ballot: string; person_id: number }[]).map((v) => [`${v.poll_id}:${v.ballot}`, v.person_id]));
  const byVoter = (rows: unknown[], poll: (r: Record<string, unknown>) => number) =>
    rows
      .map((r) => {
        const { ballot, ...rest } = r as Record<string, unknown>;
        return JSON.stringify({ ...rest, ballot: ballot === null ? null : owner.get(`${poll(r as Record<string, unknown>)}:${ballot}`) ?? 'anonymous' });
      })
      .sort();
  if (out.poll_voters) out.poll_voters = byVoter(out.poll_voters, (r) => r.poll_id as number);
  if (out.poll_ballots) out.poll_ballots = byVoter(out.poll_ballots, (r) => r.poll_id as number);
  if (out.poll_reasons) out.poll_reasons = byVoter(out.poll_reasons, (r) => r.poll_id as number);
  if (out.poll_rankings) out.poll_rankings = byVoter(out.poll_rankings, (r) => r.poll_id as number);
  // Anonymous ballots are kept in a random order: compare them as sorted lists.
  if (out.poll_anonymous_ballots) {
    out.poll_anonymous_ballots = (out.poll_anonymous_ballots as { poll_id: number; ballots: string }[]).map((r) => ({
      ...r,
      ballots: (JSON.parse(r.ballots) as unknown[]).map((b) => JSON.stringify(b)).sort(),
    }));
  }
  return out;
}
