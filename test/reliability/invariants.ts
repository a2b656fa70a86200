// Checks that must hold after any sequence of commands, however hostile.
import { expect } from 'vitest';
import { ledgerDiscrepancies } from '../../src/grants/ledger.js';
import type { DB } from '../../src/storage/db.js';

const BOOKKEEPING = new Set(['inbound_events', 'outbox', 'message_refs', 'link_codes', 'schema_migrations']);

export function expectConsistent(db: DB) {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  // Grant fund totals equal the ledger.
  expect(ledgerDiscrepancies(db)).toEqual([]);
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
  return out;
}
