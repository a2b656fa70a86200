// Every inbound event delivered 1 to 5 times, interleaved: each handled exactly once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mentionsIn } from '../../adapters/console/index.js';
import type { InboundEvent } from '../../src/model.js';
import { createHarness } from '../helpers/harness.js';
import { domainSnapshot, expectConsistent } from './invariants.js';
import { size } from './size.js';
import { SCRIPT } from './script.js';

function events(): InboundEvent[] {
  let speaker = 'ana';
  let chat = 'main';
  const out: InboundEvent[] = [];
  SCRIPT.forEach((line, i) => {
    const meta = /^:(as|in) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'as') speaker = meta[2]!;
      else chat = meta[2]!;
      return;
    }
    out.push({
      kind: 'message',
      platform: 'console',
      eventId: `e${i}`,
      messageId: `e${i}`,
      chat: { id: chat, name: chat, isDirect: false },
      author: { id: speaker, displayName: speaker, isBot: false },
      text: line,
      time: new Date(0),
      mentions: mentionsIn(line),
    });
  });
  return out;
}

async function run(deliveries: InboundEvent[]) {
  const h = await createHarness({ admins: 'console:ana' });
  const outcomes = deliveries.map((e) => h.bot.process(e));
  await h.flush();
  const sent = h.take().filter((l) => !/Your link code is/.test(l));
  const snap = domainSnapshot(h.db);
  expectConsistent(h.db);
  await h.close();
  return { outcomes, sent, snap };
}

describe('re-delivery', () => {
  it('handles each event once however often and in whatever order duplicates arrive', async () => {
    const all = events();
    const once = await run(all);
    expect(once.outcomes.every((o) => o !== 'duplicate' && o !== 'failed')).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: all.length, maxLength: all.length }), fc.integer(), async (times, seed) => {
        // Each event first arrives in order; its re-deliveries land at random later points.
        const stream: InboundEvent[] = [];
        let r = seed;
        const rand = () => ((r = (r * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        const later: InboundEvent[] = [];
        all.forEach((e, i) => {
          stream.push(e, ...later.splice(0, Math.floor(rand() * later.length)));
          for (let k = 1; k < times[i]!; k++) later.push({ ...e });
        });
        stream.push(...later);
        const many = await run(stream);
        expect(many.outcomes.filter((o) => o !== 'duplicate')).toHaveLength(all.length);
        expect(many.sent).toEqual(once.sent);
        expect(many.snap).toEqual(once.snap);
      }),
      { numRuns: size(15, 200) },
    );
  });
});
