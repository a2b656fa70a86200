// The ledger, read back: checking it against the fund totals, and exporting it
// as CSV for funders. Rows are only ever appended (SQL triggers refuse changes).
import { toCsv } from '../text/csv.js';
import { DateTime } from 'luxon';
import type { DB } from '../storage/db.js';
import { plainPounds } from './money.js';
import { GrantsRepo, type LedgerRow } from './repo.js';

/**
 * Every way the ledger disagrees with the funds and grants tables (empty when
 * consistent): per category, the ledger's budget, approved and paid sums must
 * equal the fund's budget and its grants' totals, and each grant's last state
 * change in the ledger must be its current state.
 */
export function ledgerDiscrepancies(db: DB): string[] {
  const repo = new GrantsRepo(db);
  const out: string[] = [];
  const funds = new Map(repo.funds().map((f) => [f.category, f]));
  for (const l of repo.ledgerTotals()) {
    const f = funds.get(l.category)!;
    for (const k of ['budget', 'approved', 'paid'] as const) {
      if (l[k] !== f[k]) out.push(`${l.category} ${k}: ledger ${l[k]}p, fund ${f[k]}p`);
    }
  }
  for (const g of repo.lastStates()) {
    if (g.ledger_state !== g.state) out.push(`grant #${g.id}: state ${g.state}, ledger says ${g.ledger_state}`);
  }
  return out;
}

const COLUMNS = [
  'entry', 'time', 'grant', 'collab', 'category', 'event', 'from_state', 'to_state',
  'amount_gbp', 'budget_change_gbp', 'approved_change_gbp', 'paid_change_gbp', 'by', 'note',
];

/** The ledger as CSV, one row per entry, amounts in pounds with two decimals, times in `tz`. */
export function ledgerCsv(rows: LedgerRow[], tz: string): string {
  const money = (p: number | null) => (p === null ? '' : plainPounds(p));
  return toCsv([
    COLUMNS,
    ...rows.map((r) => [
      r.id,
      DateTime.fromMillis(r.at, { zone: tz }).startOf('second').toISO({ suppressMilliseconds: true }),
      r.grant_id ?? '',
      cell(r.collab_name),
      r.category,
      r.event,
      r.from_state ?? '',
      r.to_state ?? '',
      money(r.amount),
      money(r.budget_change),
      money(r.approved_change),
      money(r.paid_change),
      cell(r.actor_name),
      cell(r.note),
    ]),
  ]);
}

/** Text typed by people (toCsv neutralises formulas). */
function cell(text: string | null): string {
  return text ?? '';
}
