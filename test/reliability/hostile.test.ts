// Hostile input: random and adversarial command lines. No exception escapes,
// every line starting with / gets exactly one reply in its chat, and the
// database stays consistent.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectConsistent } from './invariants.js';
import { size } from './size.js';

const NASTY = [
  '"', '\u201c', '""', '"unterminated', "'", '--', '---', '--closes', '--type', '--multi', '--anonymous', '--quorum=-1', '—closes',
  '0', '-1', '1e3', '1e309', 'NaN', 'Infinity', '99999999999999999999999', '-0', '0x10', '£0', '£1,000.005', '£-5', '1,00,0',
  "'; DROP TABLE people; --", 'Robert"); DELETE FROM roles;--', '%', '_', '\\', '\0', '\u202e', '\ud83d\ude00', 'ü', 'ｆｕｌｌ',
  '"a" NEAR b*', 'NEAR(', 'AND', 'OR', 'NOT', '-x', '*', 'col:umn', '(', ')', '^', '@', '@nobody', '@ana', '@@', '@ben lead',
  'lead', 'delegate', 'facilitator', 'admin', 'minutes', 'polls', 'Europe/London', 'Mars/Base', 'tomorrow', '31 February', '2d', 'every',
  '\n', '\t', ' ', 'x'.repeat(1000),
];

const names = [...new Set(allCommands.map((c) => c.name))];

const line = fc.oneof(
  // A real command name, then random words.
  fc.tuple(fc.constantFrom(...names), fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string(), fc.integer().map(String)), { maxLength: 8 })).map(
    ([name, words]) => `/${name} ${words.join(' ')}`,
  ),
  // Random text after a slash.
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => '/' + s),
  fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => '/' + s),
  // Not commands at all.
  fc.string({ maxLength: 100 }),
  // Very long.
  fc.constantFrom('/collab create ' + 'z'.repeat(100_000), '/help ' + '"'.repeat(100_000), '/' + 'a'.repeat(100_000)),
);

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ admins: 'console:ana', platforms: ['console'] });
  await h.say('/collab create Forum', { as: 'ana' });
  await h.say('/role add @ben lead', { as: 'ana' });
});
afterAll(async () => h.close());

describe('hostile input', () => {
  it('never crashes, answers every command exactly once, and keeps the database consistent', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(line, fc.constantFrom('ana', 'ben', 'mallory'), async (text, who) => {
        const id = `hostile-${++n}`;
        const outcome = h.bot.process({
          kind: 'message',
          platform: 'console',
          eventId: id,
          messageId: id,
          chat: { id: 'main', name: 'main', isDirect: false },
          author: { id: who, displayName: who, isBot: false },
          text,
          time: new Date(),
          mentions: [],
        });
        expect(outcome).not.toBe('failed');
        const replies = h.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE json_extract(body, '$.replyTo') = ? AND dest = 'c:main'`).get(id) as { n: number };
        const isCommand = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim().startsWith('/');
        expect(replies.n).toBe(isCommand ? 1 : 0);
      }),
      { numRuns: size(300, 5000) },
    );
    await h.flush();
    expectConsistent(h.db);
  });
});
