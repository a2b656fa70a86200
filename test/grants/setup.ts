// A collab with three leads and a Discovery budget, for the grants tests.
import { createHarness, type Harness, type HarnessOptions } from '../helpers/harness.js';

export const DONE_WHEN_SCRIPT = `:as ana
/collab create Food Network
/role add @lee lead
/role add @lou lead
/fund set discovery 5000
:as ben
/grant request discovery £750 Pay two community members to run a consultation on food access
/grant request discovery 1500 Too much for discovery
/grant approve 1
:as lee
/grant approve 1
:as lou
/grant approve 1
/fund`;

export async function foodNetwork(opts: HarnessOptions = {}): Promise<Harness> {
  const h = await createHarness({ admins: 'console:ana', ...opts });
  await h.script(`:as ana
/collab create Food Network
/role add @lee lead
/role add @lou lead
/role add @lia lead
/fund set discovery 5000`);
  h.take();
  return h;
}

export function stateOf(h: Harness, id: number) {
  return h.services.grants.require(id).state;
}

export function ledgerSize(h: Harness): number {
  return (h.db.prepare('SELECT COUNT(*) AS n FROM grant_ledger').get() as { n: number }).n;
}

/** Ask for a grant as ben; returns its number. */
export async function request(h: Harness, amount = '£100', category = 'discovery'): Promise<number> {
  const [reply] = (await h.say(`/grant request ${category} ${amount} Run a community consultation on food access`, { as: 'ben' })).filter((l) => l.startsWith('[main]'));
  const m = /Grant #(\d+) requested/.exec(reply ?? '');
  if (!m) throw new Error(`request refused: ${reply}`);
  return Number(m[1]);
}
