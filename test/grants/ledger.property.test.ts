// Property: after any sequence of fund changes, requests, decisions, payments,
// reports and poll outcomes, the ledger adds up to the fund totals people see.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mentionsIn } from '../../adapters/console/index.js';
import { ledgerDiscrepancies } from '../../src/grants/ledger.js';
import { readMoney } from '../../src/grants/money.js';
import { createHarness } from '../helpers/harness.js';
import { size } from '../reliability/size.js';
import { GrantsRepo } from '../../src/grants/repo.js';

const category = fc.constantFrom('discovery', 'enabling', 'invest');
const grant = fc.integer({ min: 1, max: 4 });
/** Whole pounds typed `1200`, or pounds and pence typed `£1,200.50`. */
const pounds = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((p) => (p % 3 ? String(Math.round(p / 100)) : `£${(p / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`));

type Line = { kind: 'line'; as: string; chat: string; text: string };
type PollOp = { kind: 'poll'; pick: number; vote: string; voter: string; closer: string };
type Op = Line | { kind: 'lines'; lines: Line[] } | PollOp;

const line = (as: string, text: string, chat = 'main'): Line => ({ kind: 'line', as, chat, text });

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(category, pounds(3000)).map(([c, a]) => line('ana', `/fund set ${c} ${a}`)),
  fc.tuple(category, fc.oneof(pounds(2000), fc.constant('none'))).map(([c, a]) => line('ana', `/fund cap ${c} ${a}`)),
  { arbitrary: fc.tuple(fc.constantFrom('ben', 'lee', 'cara'), fc.constantFrom('discovery', 'discovery', 'enabling', 'enabling', 'invest'), pounds(1100)).map(([who, c, a]) =>
      line(who, `/grant request ${c} ${a} Run a community consultation on food`, who === 'cara' ? 'youth' : 'main')), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom('lee', 'lou', 'lia', 'fay'), grant).map(([who, g]) => line(who, `/grant approve ${g}`)), weight: 3 },
  // Two leads approving one after the other, so requests often get all the way.
  { arbitrary: grant.map((g) => ({ kind: 'lines' as const, lines: [line('lou', `/grant approve ${g}`), line('lia', `/grant approve ${g}`)] })), weight: 3 },
  fc.tuple(fc.constantFrom('lee', 'lou', 'lia'), grant).map(([who, g]) => line(who, `/grant decline ${g} Not this time sorry`)),
  fc.tuple(fc.constantFrom('ben', 'cara'), grant).map(([who, g]) => line(who, `/grant withdraw ${g}`)),
  { arbitrary: grant.map((g) => line('ana', `/grant paid ${g}`)), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('ben', 'cara', 'lee'), grant).map(([who, g]) => line(who, `/grant report ${g} We held three sessions for forty people`)), weight: 2 },
  // A lead votes in the leads' poll on one of the Enabling or Invest requests, and a lead closes it (it may be
  // closed already). fay facilitates Food Network and lee asks for grants: their votes and closes are refused then.
  {
    arbitrary: fc.tuple(fc.nat(9), fc.constantFrom('agree', 'agree', 'disagree', 'block'), fc.constantFrom('lou', 'lia', 'fay'), fc.constantFrom('lou', 'lee'))
      .map(([pick, vote, voter, closer]): PollOp => ({ kind: 'poll', pick, vote, voter, closer })),
    weight: 2,
  },
);

describe('the grant ledger', () => {
  it('matches the fund totals after any sequence of operations', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 60 }), async (ops) => {
        const h = await createHarness({ admins: 'console:ana' });
        try {
          let n = 0;
          const type = (o: Line) => {
            const id = `p${run}-${++n}`;
            return h.bot.process({
              kind: 'message', platform: 'console', eventId: id, messageId: id,
              chat: { id: o.chat, name: o.chat, isDirect: false },
              author: { id: o.as, displayName: o.as, isBot: false },
              text: o.text, time: new Date(h.clock.now()), mentions: mentionsIn(o.text),
            });
          };
          const setup = [
            '/collab create Food Network',
            ...['lee', 'lou', 'lia', 'fay'].map((p) => `/role add @${p} lead`),
            '/role add @fay facilitator',
            '/fund set discovery 1500',
            '/fund set enabling 800',
          ];
          for (const text of setup) {
            expect(type({ kind: 'line', as: 'ana', chat: 'main', text })).toBe('handled');
          }
          expect(type({ kind: 'line', as: 'cara', chat: 'youth', text: '/collab create Youth Forum' })).toBe('handled');
          for (const o of ops) {
            if (o.kind === 'poll') {
              const polled = new GrantsRepo(h.db).list(null, 100).filter((g) => g.poll_id !== null);
              const g = polled[o.pick % Math.max(1, polled.length)];
              if (g) {
                const chat = g.collab_name === 'Youth Forum' ? 'youth' : 'main';
                expect(type(line(o.voter, `/vote ${g.poll_id} ${o.vote}`, chat))).not.toBe('failed');
                expect(type(line(o.closer, `/poll close ${g.poll_id}`, chat))).not.toBe('failed');
              }
              continue;
            }
            for (const l of o.kind === 'lines' ? o.lines : [o]) expect(type(l)).not.toBe('failed');
          }
          run++;
          expect(ledgerDiscrepancies(h.db)).toEqual([]);

          // And independently: what /fund shows equals the sums of the ledger's rows.
          const sums = new Map<string, { budget: number; approved: number; paid: number }>();
          for (const r of h.services.grants.ledger()) {
            const s = sums.get(r.category) ?? { budget: 0, approved: 0, paid: 0 };
            s.budget += r.budget_change;
            s.approved += r.approved_change;
            s.paid += r.paid_change;
            sums.set(r.category, s);
          }
          await h.flush();
          h.take();
          const [fund] = await h.say('/fund', { as: 'ben', eventId: `fund-${run}` });
          for (const name of ['Discovery', 'Enabling', 'Invest']) {
            const m = new RegExp(`• ${name} \\(.*?\\): budget (£[\\d,.]+), approved (£[\\d,.]+), paid (£[\\d,.]+), remaining (£[\\d,.]+)`).exec(fund!)!;
            const [budget, approved, paid, remaining] = m.slice(1).map((s) => {
              const r = readMoney(s, { allowZero: true });
              return r.ok ? r.pence : NaN;
            });
            const s = sums.get(name.toLowerCase()) ?? { budget: 0, approved: 0, paid: 0 };
            expect({ budget, approved, paid }).toEqual(s);
            expect(remaining).toBe(s.budget - s.approved);
            expect(s.approved).toBeLessThanOrEqual(s.budget);
            expect(s.paid).toBeLessThanOrEqual(s.approved);
          }
        } finally {
          await h.close();
        }
      }),
      { numRuns: size(30, 500) },
    );
  });
});
