// The real /poll and /vote through Slack: real bolt in HTTP mode receiving signed
// slash commands and block_actions clicks, answering through the fake Web API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GENERAL, SECRETS, startSlackBot, type SlackBot } from './bot.js';
import { buttonClick, deliver, menuSelect, slashCommand } from './fake-slack.js';

let s: SlackBot;
beforeAll(async () => {
  s = await startSlackBot({ mode: 'http' });
  await command('/collab', 'create Food Network');
  await s.fake.waitFor('chat.postMessage', (a) => textOf(a).startsWith('Done: this chat is now the collab "Food Network"'));
});
afterAll(async () => s?.close());

const DAY = 24 * 3600_000;
const BEN = 'U0BEN';
const textOf = (a: Record<string, any>) => String(a.text ?? '');
const post = (body: Parameters<typeof deliver>[2]) => deliver(s.events, SECRETS.SLACK_SIGNING_SECRET, body);

async function command(name: string, text: string, user = ADMIN) {
  const res = await post(slashCommand({ command: name, text, user, channel: GENERAL }));
  expect(res.status).toBe(200);
}

/** Ask a poll with /poll; returns its number, the posted message and its ts. */
async function ask(text: string) {
  const before = s.fake.received('chat.postMessage', (a) => !!a.blocks).length;
  await command('/poll', text);
  const posted = await s.fake.waitFor('chat.postMessage', (a) => !!a.blocks, before + 1);
  const id = Number(/^Poll #(\d+)/.exec(textOf(posted.args))![1]);
  return { id, posted, ts: posted.reply!.ts as string };
}

/** The nth chat.update of a message (counting from 1). */
const updateOf = (ts: string, n = 1) => s.fake.waitFor('chat.update', (a) => a.ts === ts, n);
const ephemeralTo = (user: string, n: number) => s.fake.waitFor('chat.postEphemeral', (a) => a.user === user, n);
const buttonsOf = (blocks: any[]) => blocks.filter((b) => b.accessory?.type === 'button').map((b) => b.accessory);
const optionText = (blocks: any[], k: number, id: number) => blocks.find((b) => b.block_id === `poll_${id}_o${k}`).text.text as string;
const footer = (blocks: any[]) => blocks.find((b) => b.type === 'context').elements[0].text as string;
let bensEphemerals = 0;

describe('polls in Slack', () => {
  it('posts /poll with a Vote button per option; a click updates it in place and thanks the voter privately', async () => {
    const { id, posted, ts } = await ask('"Where shall we meet?" "Library" "Community café"');
    expect(posted.args.channel).toBe(GENERAL);
    expect(textOf(posted.args)).toContain(`To vote, type /vote ${id} and the number of your choice`);
    const buttons = buttonsOf(posted.args.blocks);
    expect(buttons.map((b: any) => b.value)).toEqual([`/vote ${id} 1`, `/vote ${id} 2`]);
    expect(optionText(posted.args.blocks, 2, id)).toBe('*2.* Community café\n░░░░░░░░░░ 0 votes');

    await post(buttonClick({ user: BEN, channel: GENERAL, messageTs: ts, value: buttons[1].value, actionId: buttons[1].action_id, blockId: `poll_${id}_o2` }));
    const update = await updateOf(ts);
    expect(update.args.channel).toBe(GENERAL);
    expect(optionText(update.args.blocks, 2, id)).toBe('*2.* Community café\n██████████ 1 vote');
    expect(footer(update.args.blocks)).toBe(`Poll ${id} · 1 voter`);
    const thanks = await ephemeralTo(BEN, ++bensEphemerals);
    expect(thanks.args.channel).toBe(GENERAL);
    expect(textOf(thanks.args)).toBe(`Thanks Ben Okafor: your vote in poll #${id} is counted: Community café.\nNow: Library 0 · Community café 1`);
    expect(s.fake.received('chat.postMessage', (a) => textOf(a).includes('Thanks'))).toHaveLength(0);

    // Closing: the message keeps the final count and loses its buttons; the results go to the channel.
    await command('/poll', `close ${id}`);
    const closed = await updateOf(ts, 2);
    expect(buttonsOf(closed.args.blocks)).toEqual([]);
    expect(optionText(closed.args.blocks, 2, id)).toBe('*2.* Community café\n██████████ 1 vote');
    expect(footer(closed.args.blocks)).toBe(`Poll ${id} · 1 voter · closed`);
    const results = await s.fake.waitFor('chat.postMessage', (a) => textOf(a).startsWith(`Poll #${id} is closed.`));
    expect(textOf(results.args)).toBe(
      `Poll #${id} is closed.\nResults of poll #${id}: Where shall we meet? (closed)\nCommunity café: 1 vote (100%)\nLibrary: 0 votes (0%)\nMost votes: Community café.\n1 person voted.\n` +
        `To record the decision taken, type /poll outcome ${id} &lt;what was decided&gt;`,
    );
    // A click on a screen that still shows the old buttons is refused, to the voter alone.
    await post(buttonClick({ user: BEN, channel: GENERAL, messageTs: ts, value: buttons[0].value, actionId: buttons[0].action_id, blockId: `poll_${id}_o1` }));
    const refusal = await ephemeralTo(BEN, ++bensEphemerals);
    expect(textOf(refusal.args)).toMatch(new RegExp(`^Poll #${id} closed on .+, so it no longer takes votes\\. To see the results: /poll results ${id}$`));
  });

  it('gives a --multi poll a menu of up to K; picking votes, clearing it takes the vote back', async () => {
    const { id, posted, ts } = await ask('"Which days suit you?" Mon Tue Wed --multi 2');
    const menuBlock = posted.args.blocks.find((b: any) => b.type === 'actions');
    expect(menuBlock.block_id).toBe(`poll_${id}`);
    const [menu] = menuBlock.elements;
    expect(menu).toMatchObject({ type: 'multi_static_select', action_id: 'vote_multi', max_selected_items: 2 });
    expect(menu.options.map((o: any) => o.value)).toEqual(['1', '2', '3']);
    expect(buttonsOf(posted.args.blocks)).toEqual([]);
    expect(footer(posted.args.blocks)).toBe(`Poll ${id} · 0 voters · up to 2 choices`);

    const pick = (values: string[]) => post(menuSelect({ user: BEN, channel: GENERAL, messageTs: ts, actionId: 'vote_multi', blockId: `poll_${id}`, values }));
    await pick(['1', '3']);
    const update = await updateOf(ts);
    expect(optionText(update.args.blocks, 1, id)).toBe('*1.* Mon\n██████████ 1 vote');
    expect(optionText(update.args.blocks, 2, id)).toBe('*2.* Tue\n░░░░░░░░░░ 0 votes');
    expect(textOf((await ephemeralTo(BEN, ++bensEphemerals)).args)).toBe(`Thanks Ben Okafor: your vote in poll #${id} is counted: Mon and Wed.\nNow: Mon 1 · Tue 0 · Wed 1`);
    await pick([]);
    expect(textOf((await ephemeralTo(BEN, ++bensEphemerals)).args)).toBe(`Ben Okafor: your vote in poll #${id} is taken back. To vote again: /vote ${id} 1`);
    const cleared = await updateOf(ts, 2);
    expect(footer(cleared.args.blocks)).toBe(`Poll ${id} · 0 voters · up to 2 choices`);
  });

  it('shows no live counts for hidden and anonymous polls, and no buttons for ranked ones', async () => {
    for (const flag of ['--hidden', '--anonymous']) {
      const { id, posted, ts } = await ask(`"Secret?" Yes No ${flag}`);
      const [yes] = buttonsOf(posted.args.blocks);
      await post(buttonClick({ user: BEN, channel: GENERAL, messageTs: ts, value: yes.value, actionId: yes.action_id, blockId: `poll_${id}_o1` }));
      const update = await updateOf(ts);
      expect(optionText(update.args.blocks, 1, id)).toBe('*1.* Yes');
      expect(footer(update.args.blocks)).toBe(`Poll ${id} · 1 voter · ${flag === '--hidden' ? 'results shown when it closes' : 'anonymous'}`);
      expect(textOf((await ephemeralTo(BEN, ++bensEphemerals)).args)).toMatch(flag === '--hidden' ? /Results stay hidden until the poll closes\.$/ : /^Thanks: your anonymous vote/);
    }
    const { posted } = await ask('"Where?" Library Cafe Park --type ranked');
    expect(posted.args.blocks).toHaveLength(1);
    expect(posted.args.blocks[0].text.text).toContain('To vote, rank the options, favourite first');
  });

  it('reminds the channel 24 hours before a poll closes, and updates and posts the results when it closes itself', async () => {
    const { id, posted, ts } = await ask('"Lunch on Friday?" Soup Salad --closes 2d');
    expect(footer(posted.args.blocks)).toMatch(new RegExp(`^Poll ${id} · 0 voters · closes <!date\\^\\d+\\^\\{date_short_pretty\\} at \\{time\\}\\|.+>$`));
    s.clock.advance(DAY);
    const warning = await s.fake.waitFor('chat.postMessage', (a) => textOf(a).startsWith(`Poll #${id} closes in 24 hours`));
    expect(textOf(warning.args)).toMatch(new RegExp(`^Poll #${id} closes in 24 hours \\(.+\\): Lunch on Friday\\?\\n2 people have not voted yet: ana, Ben Okafor\\.\\nTo vote, type /vote ${id} and the number of your choice, e\\.g\\. /vote ${id} 2$`));
    s.clock.advance(DAY);
    const closed = await updateOf(ts);
    expect(footer(closed.args.blocks)).toBe(`Poll ${id} · 0 voters · closed`);
    const results = await s.fake.waitFor('chat.postMessage', (a) => textOf(a).startsWith(`Poll #${id} is closed.`));
    expect(textOf(results.args)).toContain('It has reached its closing time.\nResults of poll');
    expect(warning.args.blocks).toBeUndefined(); // plain mrkdwn text
  });
});
