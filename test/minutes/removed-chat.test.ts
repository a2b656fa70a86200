// Minutes waiting for a chat the bot has been removed from are dropped, and the
// delegate hears that they did not reach it, as with any delivery that failed for good.
import { afterEach, expect, it } from 'vitest';
import { NotConnectedError } from '../../src/model.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

it('tells the delegate when the bot is removed from a chat their minutes were still waiting for', async () => {
  h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
  await h.say('/collab create Forum', { as: 'ana' });
  await h.say('/delegate add @dee Community Planning Partnership', { as: 'ana' });
  const { collabs, people } = h.services;
  const general = collabs.ensureChat('slack', 'general', 'general', false);
  h.db.transaction(() => collabs.subscribe(general, 'minutes', people.find('console', 'ana')!))();
  // Slack is unreachable, so the minutes wait in the outbox.
  h.adapter('slack').fail = () => new NotConnectedError(60_000);
  await h.say('/minutes "CPP board, 3 December" Budget consultation opens in January.', { as: 'dee' });
  expect(h.db.prepare(`SELECT COUNT(*) FROM outbox WHERE platform = 'slack' AND status = 'pending'`).pluck().get()).toBe(1);

  // The bot is removed from the Slack chat (the adapter reports it; the core applies it in a transaction).
  h.db.transaction(() => h.services.chatLife.apply({ kind: 'bot_removed', platform: 'slack', chatId: 'general' }))();
  h.services.outbox.notify();
  expect(h.db.prepare(`SELECT status FROM outbox WHERE platform = 'slack'`).pluck().all()).toEqual(['failed']);

  const later = await h.advance(5 * 60_000);
  expect(later.join('\n')).toMatch(/^\[@dee\] Your minutes #1 \(CPP board, 3 December\) did not reach 1 of the 1 chat they were sent to, even after several tries: general/m);
});
