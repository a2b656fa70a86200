// The SQL for funds, grants, leads' decisions and the ledger. Prepared statements only.
import type { DB } from '../storage/db.js';
import type { GrantState } from './transitions.js';

export interface FundRow {
  category: string;
  name: string;
  position: number;
  budget: number;
  cap: number | null;
  decided_by: 'approvals' | 'poll';
}

/** A fund with its totals: approved includes paid; remaining = budget - approved. */
export interface FundTotals extends FundRow {
  approved: number;
  paid: number;
  remaining: number;
  waiting: number;
  waiting_count: number;
}

export interface GrantRow {
  id: number;
  collab_id: number;
  category: string;
  amount: number;
  purpose: string;
  requested_by: number;
  state: GrantState;
  poll_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface GrantListRow extends GrantRow {
  collab_name: string;
  requester_name: string;
  fund_name: string;
  decided_by: FundRow['decided_by'];
  /** Leads' approvals so far. */
  approvals: number;
}

export interface DecisionRow {
  person_id: number;
  decision: 'approve' | 'decline';
  note: string | null;
  decided_at: number;
  name: string;
}

export interface LedgerEntry {
  at: number;
  category: string;
  grantId?: number | null;
  event: string;
  fromState?: GrantState | null;
  toState?: GrantState | null;
  amount?: number | null;
  budgetChange?: number;
  approvedChange?: number;
  paidChange?: number;
  actorId?: number | null;
  actorName?: string | null;
  note?: string | null;
}

export interface LedgerRow {
  id: number;
  at: number;
  category: string;
  grant_id: number | null;
  event: string;
  from_state: GrantState | null;
  to_state: GrantState | null;
  amount: number | null;
  budget_change: number;
  approved_change: number;
  paid_change: number;
  actor_id: number | null;
  actor_name: string | null;
  note: string | null;
  collab_name: string | null;
}

/** Committed money: approved, paid or reported grants. */
const COMMITTED = `('approved', 'paid', 'reported')`;
const PAID = `('paid', 'reported')`;

/**
 * One person, one name in every list: the ledger row keeps the name as it was,
 * but shows the person's current display name (following a /link merge).
 */
const ACTOR_JOIN = 'LEFT JOIN people a0 ON a0.id = l.actor_id LEFT JOIN people a ON a.id = COALESCE(a0.merged_into, a0.id)';
const CURRENT_NAME = 'COALESCE(a.display_name, l.actor_name)';

export class GrantsRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      funds: db.prepare<[], FundTotals>(
        `SELECT *, budget - approved AS remaining FROM (
           SELECT f.category, f.name, f.position, f.budget, f.cap, f.decided_by,
             IFNULL((SELECT SUM(amount) FROM grants g WHERE g.category = f.category AND g.state IN ${COMMITTED}), 0) AS approved,
             IFNULL((SELECT SUM(amount) FROM grants g WHERE g.category = f.category AND g.state IN ${PAID}), 0) AS paid,
             IFNULL((SELECT SUM(amount) FROM grants g WHERE g.category = f.category AND g.state = 'submitted'), 0) AS waiting,
             (SELECT COUNT(*) FROM grants g WHERE g.category = f.category AND g.state = 'submitted') AS waiting_count
           FROM grant_funds f)
         ORDER BY position`,
      ),
      setBudget: db.prepare<[number, number, string]>('UPDATE grant_funds SET budget = ?, updated_at = ? WHERE category = ?'),
      setCap: db.prepare<[number | null, number, string]>('UPDATE grant_funds SET cap = ?, updated_at = ? WHERE category = ?'),
      insertGrant: db.prepare<[number, string, number, string, number, number, number]>(
        `INSERT INTO grants (collab_id, category, amount, purpose, requested_by, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?)`,
      ),
      grant: db.prepare<[number], GrantRow>('SELECT * FROM grants WHERE id = ?'),
      setState: db.prepare<[GrantState, number, number, GrantState]>('UPDATE grants SET state = ?, updated_at = ? WHERE id = ? AND state = ?'),
      setPoll: db.prepare<[number, number]>('UPDATE grants SET poll_id = ? WHERE id = ?'),
      list: db.prepare<[{ state: string | null; limit: number }], GrantListRow>(
        `SELECT g.*, c.name AS collab_name, p.display_name AS requester_name, f.name AS fund_name, f.decided_by,
           (SELECT COUNT(*) FROM grant_decisions d WHERE d.grant_id = g.id AND d.decision = 'approve') AS approvals
         FROM grants g JOIN collabs c ON c.id = g.collab_id JOIN people p ON p.id = g.requested_by JOIN grant_funds f ON f.category = g.category
         WHERE @state IS NULL OR g.state = @state
         ORDER BY g.id DESC LIMIT @limit`,
      ),
      count: db.prepare<[{ state: string | null }], { n: number }>('SELECT COUNT(*) AS n FROM grants WHERE (@state IS NULL OR state = @state)'),
      decide: db.prepare<[number, number, string, string | null, number]>(
        'INSERT INTO grant_decisions (grant_id, person_id, decision, note, decided_at) VALUES (?, ?, ?, ?, ?)',
      ),
      decisions: db.prepare<[number], DecisionRow>(
        `SELECT d.person_id, d.decision, d.note, d.decided_at, p.display_name AS name
         FROM grant_decisions d JOIN people p ON p.id = d.person_id WHERE d.grant_id = ? ORDER BY d.decided_at, p.display_name`,
      ),
      append: db.prepare<
        [number, string, number | null, string, string | null, string | null, number | null, number, number, number, number | null, string | null, string | null]
      >(
        `INSERT INTO grant_ledger (at, category, grant_id, event, from_state, to_state, amount, budget_change, approved_change, paid_change, actor_id, actor_name, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      history: db.prepare<[number], LedgerRow>(
        `SELECT l.*, ${CURRENT_NAME} AS actor_name, NULL AS collab_name FROM grant_ledger l ${ACTOR_JOIN} WHERE l.grant_id = ? ORDER BY l.id`,
      ),
      ledger: db.prepare<[], LedgerRow>(
        `SELECT l.*, ${CURRENT_NAME} AS actor_name, c.name AS collab_name FROM grant_ledger l ${ACTOR_JOIN}
         LEFT JOIN grants g ON g.id = l.grant_id LEFT JOIN collabs c ON c.id = g.collab_id ORDER BY l.id`,
      ),
      mergeRequester: db.prepare<[number, number]>('UPDATE grants SET requested_by = ? WHERE requested_by = ?'),
      mergeDecisions: db.prepare<[number, number]>(
        `INSERT OR IGNORE INTO grant_decisions (grant_id, person_id, decision, note, decided_at)
         SELECT grant_id, ?, decision, note, decided_at FROM grant_decisions WHERE person_id = ?`,
      ),
      deleteDecisions: db.prepare<[number]>('DELETE FROM grant_decisions WHERE person_id = ?'),
      // For checking the ledger against the totals (see ledger.ts).
      ledgerTotals: db.prepare<[], { category: string; budget: number; approved: number; paid: number }>(
        `SELECT f.category,
           IFNULL(SUM(l.budget_change), 0) AS budget, IFNULL(SUM(l.approved_change), 0) AS approved, IFNULL(SUM(l.paid_change), 0) AS paid
         FROM grant_funds f LEFT JOIN grant_ledger l ON l.category = f.category GROUP BY f.category ORDER BY f.position`,
      ),
      lastStates: db.prepare<[], { id: number; state: GrantState; ledger_state: GrantState | null }>(
        `SELECT g.id, g.state,
           (SELECT l.to_state FROM grant_ledger l WHERE l.grant_id = g.id AND l.to_state IS NOT NULL ORDER BY l.id DESC LIMIT 1) AS ledger_state
         FROM grants g ORDER BY g.id`,
      ),
    };
  }

  funds(): FundTotals[] {
    return this.s.funds.all();
  }
  fund(category: string): FundTotals | undefined {
    return this.funds().find((f) => f.category === category);
  }
  setBudget(category: string, budget: number, now: number) {
    this.s.setBudget.run(budget, now, category);
  }
  setCap(category: string, cap: number | null, now: number) {
    this.s.setCap.run(cap, now, category);
  }
  insertGrant(collabId: number, category: string, amount: number, purpose: string, by: number, now: number): number {
    return Number(this.s.insertGrant.run(collabId, category, amount, purpose, by, now, now).lastInsertRowid);
  }
  grant(id: number): GrantRow | undefined {
    return this.s.grant.get(id);
  }
  /** Move a grant from one state to another; false if it was not in `from`. */
  setState(id: number, from: GrantState, to: GrantState, now: number): boolean {
    return this.s.setState.run(to, now, id, from).changes === 1;
  }
  setPoll(id: number, pollId: number) {
    this.s.setPoll.run(pollId, id);
  }
  list(state: GrantState | null, limit: number): GrantListRow[] {
    return this.s.list.all({ state, limit });
  }
  count(state: GrantState | null): number {
    return this.s.count.get({ state })!.n;
  }
  decide(grantId: number, personId: number, decision: 'approve' | 'decline', note: string | null, now: number) {
    this.s.decide.run(grantId, personId, decision, note, now);
  }
  decisions(grantId: number): DecisionRow[] {
    return this.s.decisions.all(grantId);
  }
  append(e: LedgerEntry) {
    this.s.append.run(
      e.at,
      e.category,
      e.grantId ?? null,
      e.event,
      e.fromState ?? null,
      e.toState ?? null,
      e.amount ?? null,
      e.budgetChange ?? 0,
      e.approvedChange ?? 0,
      e.paidChange ?? 0,
      e.actorId ?? null,
      e.actorName ?? null,
      e.note ?? null,
    );
  }
  history(grantId: number): LedgerRow[] {
    return this.s.history.all(grantId);
  }
  ledger(): LedgerRow[] {
    return this.s.ledger.all();
  }
  ledgerTotals() {
    return this.s.ledgerTotals.all();
  }
  lastStates() {
    return this.s.lastStates.all();
  }
  /** /link joined two people: the grants and decisions of `from` become `to`'s. The ledger keeps its history. */
  mergePerson(from: number, to: number) {
    this.s.mergeRequester.run(to, from);
    this.s.mergeDecisions.run(to, from);
    this.s.deleteDecisions.run(from);
  }
}
