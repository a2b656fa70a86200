// Budget exhaustion when approvals arrive through different connections to one
// database file: two bots, interleaved. Only what fits is ever approved. (Two
// bot processes on one database are refused at start-up: test/instance-lock.test.ts.)
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { ledgerDiscrepancies } from '../../src/grants/ledger.js';
import { openDatabase } from '../../src/storage/db.js';
import { runConsole, tempDb } from '../helpers/console-process.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { DONE_WHEN_SCRIPT } from './setup.js';

/** A collab, leads lee and lou, a £1,000 Discovery budget and five £300 requests, on a file database. */
async function fiveRequests(file: string, clock = new FakeClock()): Promise<Harness> {
  const h = await createHarness({ admins: 'console:ana', db: openDatabase(file), clock });
  await h.script(`:as ana
/collab create Food Network
/role add @lee lead
/role add @lou lead
/fund set discovery 1000`);
  for (let i = 0; i < 5; i++) await h.say(`/grant request discovery 300 Hire a hall for community meeting ${i + 1}`, { as: 'ben' });
  h.take();
  return h;
}

function approvedTotals(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const approved = db.prepare(`SELECT id FROM grants WHERE state = 'approved' ORDER BY id`).pluck().all() as number[];
    return { approved, discrepancies: ledgerDiscrepancies(db) };
  } finally {
    db.close();
  }
}

describe('budget exhaustion under concurrent approvals', () => {
  it('two bots on two connections, interleaved: only what fits is approved', async () => {
    const file = tempDb();
    const clock = new FakeClock();
    const a = await fiveRequests(file, clock);
    const b = await createHarness({ admins: 'console:ana', db: openDatabase(file), clock });
    // Each harness numbers its events t-1, t-2, …; give b's their own ids so they are not taken for re-deliveries.
    let n = 0;
    const bSay = (text: string, as?: string) => b.say(text, { as, eventId: `b-${++n}` });
    try {
      for (const id of [1, 2, 3, 4]) await a.say(`/grant approve ${id}`, { as: 'lee' });
      // The final approvals alternate between the two bots; each must see what the other reserved.
      expect((await bSay('/grant approve 1', 'lou'))[0]).toContain('£300.00 is reserved from Discovery, which has £700.00 left');
      expect((await a.say('/grant approve 2', { as: 'lou' }))[0]).toContain('which has £400.00 left');
      expect((await bSay('/grant approve 3', 'lou'))[0]).toContain('which has £100.00 left');
      // The last approval of #4 is kept, waiting for budget; #4 is not approved.
      expect((await a.say('/grant approve 4', { as: 'lou' }))[0]).toContain('grant #4 now has all 2 approvals, but the Discovery fund has only £100.00 left for its £300.00. It waits for budget');
      expect((await bSay('/grant approve 5', 'lee'))[0]).toContain('grant #5 has 1 of 2 approvals');
      expect((await bSay('/fund'))[0]).toContain('budget £1,000.00, approved £900.00, paid £0.00, remaining £100.00');
    } finally {
      await a.close();
      await b.close();
    }
    expect(approvedTotals(file)).toEqual({ approved: [1, 2, 3], discrepancies: [] });
  });
});

describe('the Done-when script in the real console bot', () => {
  it('ends with the grant approved and /fund showing Discovery remaining £4,250.00', async () => {
    const { code, stdout } = await runConsole(DONE_WHEN_SCRIPT + '\n', { COLLABOT_ADMINS: 'console:ana' });
    expect(code).toBe(0);
    expect(stdout).toContain('[main] Discovery grants are up to £1,000.00, and this asks for £1,500.00.');
    expect(stdout).toContain('[main] Only a lead (being an admin is not enough) can use /grant approve.');
    expect(stdout).toContain('[main] Grant #1 is approved (2 of 2 approvals, the last from lou).');
    const fund = stdout.slice(stdout.lastIndexOf('[main] Grant funds'));
    expect(fund).toMatch(/^\[main\] Grant funds .*\n• Discovery \(up to £1,000\.00 a grant\): budget £5,000\.00, approved £750\.00, paid £0\.00, remaining £4,250\.00\n/);
  });
});
