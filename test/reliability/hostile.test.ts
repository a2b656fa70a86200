// Hostile input: random and adversarial command lines. No exception escapes,
// every line starting with / gets exactly one reply in its chat, and the
// database stays consistent (fund totals equal the ledger, one vote per person
// per poll).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentionsIn } from '../../adapters/console/index.js';
import { allCommands } from '../../commands/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectConsistent } from './invariants.js';
import { size } from './size.js';

const NASTY = [
  '"', '\u201c', '""', '"unterminated', "'", '--', '---', '--closes', '--type', '--multi', '--anonymous', '--quorum=-1', '—closes',
  '0', '-1', '1e3', '1e309', 'NaN', 'Infinity', '99999999999999999999999', '-0', '0x10', '#1', '#0', '#99999999999',
  "'; DROP TABLE people; --", 'Robert"); DELETE FROM roles;--', '%', '_', '\\', '\0', '\u202e', '\ud83d\ude00', 'ü', 'ｆｕｌｌ', '\ud800',
  'lead', 'delegate', 'facilitator', 'admin', 'minutes', 'polls', 'Europe/London', 'Mars/Base', 'tomorrow', '31 February', '2d', 'every',
  '\n', '\t', ' ', 'x'.repeat(1000),
];
// Money as people might type it, for grants and funds.
const MONEY = [
  '£0', '£1,000.005', '£-5', '1,00,0', '£1000.01', '£999.999', '£1,000,000,000,000,000', '£0.001', '5p', '£ 5', '£5.', '.5', '£1e3',
  '£١٠٠', '€50', '$20', '£-0', '£00000000000000000001', '1_000', '£1000', '1000', '750', '£0.01', 'ten pounds',
];
// Times for reminders, poll closings and action due dates.
const WHEN = [
  'in 0 minutes', 'in -5 minutes', 'in 99999999999 years', 'in 2h', 'every 0 days', 'every day at 25:00', 'every day at 24:60', 'at 25:99',
  'every month on the 31st at 9:00', 'every month on the 0th', 'every weekday at', 'cron "* * * * *"', 'cron "99 99 99 99 99"', 'cron',
  'yesterday at 9', 'on 2026-02-30 09:00', 'on 1970-01-01 00:00', 'next blue moon', 'every second', 'every 1 minutes', 'tomorrow at 9',
  'every monday at 10:00', 'friday 10am',
];
// Full-text search syntax, and the index's private scope mark.
const FTS = [
  '"a" NEAR b*', 'NEAR(', 'NEAR(a b, -1)', '{title}: x', 'title:hall', 'body:*', '^hall', '"unbalanced', '*', 'a*', 'AND', 'OR NOT', '(((', ')',
  '-x', '+y', ':', 'rank', 'bm25(', "x' OR '1'='1", '\uE000' + '1', '\uE000', 'hall', 'meeting',
];
// Poll options and ballots.
const POLL = [
  '--type ranked', '--type score', '--type proposal', '--type nonsense', '--multi 2', '--multi 999', '--multi -1', '--hidden', '--closes 2d',
  '--closes yesterday', '--closes "31 February"', '--closes 9999d', '--quorum 0', '--quorum 3', '--quorum 1e9', '--everywhere', '--native',
  '1=9', '2=-1', '1=5 1=0', '=', '==', '3 3 3', 'agree', 'block', 'thursday',
];
// What goes after /vote N in polls #1-#4 (choice, ranked, score, proposal).
const BALLOT = ['1', '2', '3', 'tuesday', 'Thursday', 'garden', 'minibus', 'repair', 'agree', 'block', 'abstain', 'disagree', '1=4', '2=5', '1=0', 'hall=3', '3,1,2'];
// People, known and unknown.
const MENTIONS = ['@nobody', '@ana', '@@', '@ben', '@' + 'x'.repeat(200), '@ünïcödé', '<@U123>', '@everyone', '@here', '@mallory', '@lee'];

const word = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY, ...MONEY, ...WHEN, ...FTS, ...POLL, ...MENTIONS) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

const names = [...new Set(allCommands.map((c) => c.name))];
// Every command's examples, from the registry (new commands join in by themselves).
const examples = allCommands.flatMap((c) => c.examples);

/** An example with some words replaced, some inserted and some dropped. */
const mutated = fc
  .tuple(fc.constantFrom(...examples), fc.array(fc.tuple(fc.constantFrom('replace', 'insert', 'drop'), fc.nat(), word), { maxLength: 4 }))
  .map(([example, edits]) => {
    const words = example.split(' ');
    for (const [how, at, w] of edits) {
      const i = 1 + (at % Math.max(1, words.length - 1)); // keep the command's first word
      if (how === 'replace') words[i] = w;
      else if (how === 'insert') words.splice(i, 0, w);
      else if (words.length > 2) words.splice(i, 1);
    }
    return words.join(' ');
  });

const some = (xs: string[], max = 4) => fc.array(fc.constantFrom(...xs), { minLength: 1, maxLength: max }).map((w) => w.join(' '));
const number = fc.oneof(fc.constantFrom('1', '2', '3', '4', '#1'), fc.constantFrom(...NASTY));

/** Lines of the commands that change money and votes, close to what people type. */
const money = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('/vote', '/vote', '/vote', '/unvote'),
      number,
      fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...BALLOT) }, { weight: 1, arbitrary: fc.constantFrom(...POLL, ...NASTY) }), { minLength: 1, maxLength: 4 }),
    )
    .map(([cmd, n, choices]) => `${cmd} ${n} ${choices.join(' ')}`),
  fc.tuple(fc.constantFrom('approve', 'decline', 'withdraw', 'paid', 'show', 'report'), number, some([...NASTY, ...MONEY, 'a clear plan'], 3)).map(([verb, n, rest]) => `/grant ${verb} ${n} ${rest}`),
  fc.tuple(fc.constantFrom('discovery', 'enabling', 'invest', 'nonsense'), fc.constantFrom(...MONEY), some([...NASTY, 'pay', 'for', 'the', 'hall', 'hire'], 6)).map((w) => `/grant request ${w.join(' ')}`),
  fc.tuple(fc.constantFrom('set', 'cap'), fc.constantFrom('discovery', 'enabling', 'invest', 'Discovery', ''), fc.constantFrom(...MONEY, 'none')).map((w) => `/fund ${w.join(' ')}`),
  fc.tuple(fc.constantFrom('/remind', '/remind me', '/action due 1', '/poll reopen 1 --closes'), fc.constantFrom(...WHEN), some([...NASTY, ...MENTIONS, 'call', 'the', 'hall'], 3)).map((w) => w.join(' ')),
  fc.tuple(fc.constantFrom('/role add', '/role remove', '/action reassign 1'), fc.constantFrom(...MENTIONS), fc.constantFrom('lead', 'delegate', 'facilitator', '')).map((w) => w.join(' ')),
);

const line = fc.oneof(
  // A real command's example, mangled (or not).
  { weight: 4, arbitrary: mutated },
  { weight: 3, arbitrary: money },
  // A real command name, then random words.
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...names), fc.array(word, { maxLength: 8 })).map(([name, words]) => `/${name} ${words.join(' ')}`) },
  // Notes and searches full of search syntax.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(fc.constantFrom(...FTS), { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom(...FTS, ...MENTIONS, 'ACTION', 'ACTION @ben by friday:'), { maxLength: 6 }))
      .chain(([q, body]) => fc.constantFrom(`/notes search ${q.join(' ')}`, `/notes add ${q.join(' ')} -- ${body.join(' ')}`, `/notes add x --\n${body.join('\n')}`)),
  },
  // Random text after a slash.
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => '/' + s) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => '/' + s) },
  // Not commands at all.
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  // Very long.
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/collab create ' + 'z'.repeat(100_000),
      '/help ' + '"'.repeat(100_000),
      '/' + 'a'.repeat(100_000),
      '/notes add Long -- ' + 'word '.repeat(9_000),
      '/notes search ' + 'hall '.repeat(10_000),
      '/poll "' + 'q'.repeat(40_000) + '" "a" "b"',
      '/grant request discovery £500 ' + 'because '.repeat(6_000),
    ),
  },
);

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ admins: 'console:ana', platforms: ['console'] });
  // Real things for the numbers in the lines to refer to: polls #1-#4, grant #1, note #1 with action #1, reminder #1.
  await h.script(`:as ana
/collab create Forum
/role add @ben lead
/role add @lee lead
/fund set discovery 5000
/poll "Which day?" "Tuesday" "Thursday"
/poll "What first?" "Minibus" "Garden" "Repair cafe" --type ranked
/poll "Rate the venues" "Hall" "Library" --type score
/poll "Fund the minibus?" --type proposal --anonymous
:as mallory
/grant request discovery £750 Pay two community members to run a consultation
/notes add June meeting -- ACTION @ben by friday: book the hall
/remind every monday at 9:00 Team call`);
  h.take();
});
afterAll(async () => h.close());

describe('hostile input', () => {
  it('never crashes, answers every command exactly once, and keeps the database consistent', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(line, fc.constantFrom('ana', 'ben', 'lee', 'mallory', 'v1', 'v2', 'v3', 'v4', 'v5'), fc.boolean(), async (text, who, withMentions) => {
        const id = `hostile-${++n}`;
        const outcome = h.bot.process({
          kind: 'message',
          platform: 'console',
          eventId: id,
          messageId: id,
          chat: { id: 'main', name: 'main', isDirect: false },
          author: { id: who, displayName: who, isBot: false },
          text,
          time: new Date(h.clock.now()),
          // Mentions the platform resolved, or none (then @names are people the bot may never have seen).
          mentions: withMentions ? mentionsIn(text) : [],
        });
        expect(outcome, text.slice(0, 200)).not.toBe('failed');
        const replies = h.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE json_extract(body, '$.replyTo') = ? AND dest = 'c:main'`).get(id) as { n: number };
        const isCommand = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim().startsWith('/');
        expect(replies.n, text.slice(0, 200)).toBe(isCommand ? 1 : 0);
        if (n % 100 === 0) expectConsistent(h.db);
      }),
      { numRuns: size(800, 5000) },
    );
    await h.flush();
    expectConsistent(h.db);
  }, 120_000);
});
