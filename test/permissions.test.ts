// The permission matrix, generated from the command registry: every privileged
// command, tried (with its own first example) by someone holding each role it
// does not allow, is refused with a reason and changes nothing.
import { describe, expect, it } from 'vitest';
import { allCommands } from '../commands/index.js';
import type { Role } from '../src/collabs/roles.js';
import type { DB } from '../src/storage/db.js';
import { createHarness } from './helpers/harness.js';

// Tables that record who and where (not what was decided), or delivery bookkeeping.
const BOOKKEEPING = new Set(['people', 'identities', 'chats', 'members', 'inbound_events', 'outbox', 'message_refs', 'link_codes', 'schema_migrations']);

function snapshot(db: DB): Record<string, unknown[]> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .pluck()
    .all() as string[];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    if (BOOKKEEPING.has(t) || /_(data|idx|docsize|config|content)$/.test(t)) continue;
    out[t] = db.prepare(`SELECT * FROM "${t}"`).all();
  }
  return out;
}

const ROLES: (Role | 'nobody')[] = ['nobody', 'lead', 'delegate', 'facilitator'];
const cases = allCommands
  .filter((spec) => spec.roles?.length)
  .flatMap((spec) => ROLES.filter((r) => !spec.roles!.includes(r as Role)).map((held) => [spec.name, held, spec.examples[0]!] as const));

describe('permission matrix (from the registry)', () => {
  it('has privileged commands to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('/%s is refused for %s', async (name, held, example) => {
    const h = await createHarness({ admins: 'console:ana' });
    try {
      await h.say('/collab create Forum', { as: 'ana' });
      if (held !== 'nobody') await h.say(`/role add @mallory ${held}`, { as: 'ana' });
      const before = snapshot(h.db);
      const replies = await h.say(example, { as: 'mallory' });
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(/^\[main\] Only .+ can /);
      expect(snapshot(h.db)).toEqual(before);
    } finally {
      await h.close();
    }
  });
});
