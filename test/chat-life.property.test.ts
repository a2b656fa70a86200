// The chat life rules as a state machine: whatever order the platform reports
// the bot being added and removed in (repeats included), the chat ends active
// or removed as the last report says, hello is said once per arrival, and
// nothing is queued for the chat while the bot is out of it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/storage/db.js';

const CHAT = '120363025246125486@g.us';
const to = { platform: 'whatsapp', chatId: CHAT };

describe('chat life', () => {
  it('follows the last report, greets once per arrival, and queues nothing while removed', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('add', 'remove'), { maxLength: 12 }), (reports) => {
        const db = openDatabase(':memory:');
        const s = createServices({ db, clock: new FakeClock(), config: loadConfig({}), log: silentLogger });
        let removed = false;
        let greeted = false;
        let hellos = 0;
        for (const r of reports) {
          db.transaction(() => s.chatLife.apply(r === 'add' ? { kind: 'bot_added', platform: 'whatsapp', chat: { id: CHAT, name: 'Food', isDirect: false } } : { kind: 'bot_removed', platform: 'whatsapp', chatId: CHAT }))();
          if (r === 'add') {
            if (!greeted || removed) hellos++;
            greeted = true;
            removed = false;
          } else removed = true;
          expect(s.chatLife.isRemoved(to)).toBe(removed);
        }
        const said = db.prepare(`SELECT COUNT(*) FROM outbox WHERE origin LIKE 'chat-life:%'`).pluck().get();
        expect(said).toBe(hellos);
        expect(s.outbox.enqueue(to, { text: 'x' }) === null).toBe(removed);
        db.close();
      }),
      { numRuns: 60 },
    );
  });
});
