// How polls and long messages look on Discord, and how presses read back.
import { describe, expect, it } from 'vitest';
import { componentText, isNativePoll, readNativePoll, renderEdit, renderMessage } from '../../adapters/discord/render.js';
import type { PollView } from '../../src/model.js';
import { pollView } from '../helpers/poll-view.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');

function view(n: number, o: Partial<PollView> = {}): PollView {
  return pollView({ pollId: 7, question: 'Where shall we meet?', options: Array.from({ length: n }, (_, i) => ({ index: i + 1, label: `Place ${i + 1}` })), ...o });
}
const one = (v: PollView) => {
  const bodies = renderMessage({ text: 'Poll 7 …', poll: v, editKey: 'poll:7' }, NOW);
  expect(bodies).toHaveLength(1);
  return bodies[0]!;
};
type Row = { type: number; components: { type: number; custom_id: string; max_values?: number; options?: unknown[] }[] };
const rows = (v: PollView) => (one(v).components ?? []) as Row[];

describe('polls on Discord', () => {
  it('single choice: one button per option, five to a row', () => {
    expect(rows(view(3)).map((r) => r.components.length)).toEqual([3]);
    expect(rows(view(7)).map((r) => r.components.length)).toEqual([5, 2]);
    const full = rows(view(25));
    expect(full.map((r) => r.components.length)).toEqual([5, 5, 5, 5, 5]);
    expect(full.flatMap((r) => r.components.map((c) => c.custom_id))).toEqual(Array.from({ length: 25 }, (_, i) => `vote:7:${i + 1}`));
    expect(rows(view(2, { type: 'proposal' }))[0]!.components.map((c) => c.type)).toEqual([2, 2]);
  });

  it('more options than buttons: select menus of 25; past five menus, typing only', () => {
    const menus = rows(view(60));
    expect(menus.map((r) => r.components[0]!.type)).toEqual([3, 3, 3]);
    expect(menus.map((r) => r.components[0]!.options!.length)).toEqual([25, 25, 10]);
    expect(menus.map((r) => r.components[0]!.max_values)).toEqual([1, 1, 1]);
    expect(rows(view(126))).toEqual([]);
  });

  it('several choices per voter: one menu with max_values, or typing when it would not fit', () => {
    const [menu] = rows(view(4, { multi: 2 }));
    expect(menu!.components[0]).toMatchObject({ type: 3, custom_id: 'vote:7:menu:1', min_values: 1, max_values: 2 });
    expect(rows(view(30, { multi: 3 }))).toEqual([]);
  });

  it('ranked and score polls stay plain text, voted by typing', () => {
    const body = one(view(3, { type: 'ranked' }));
    expect(body.content).toBe('Poll 7 …');
    expect(body.components).toBeUndefined();
  });

  it('shows live counts when the view has them, and not when hidden', () => {
    const counted = view(2, { voters: 4, options: [{ index: 1, label: 'Park', count: 3 }, { index: 2, label: 'Hall', count: 1 }], closesAt: '2026-11-25T17:00:00Z' });
    const embed = one(counted).embeds![0] as { title: string; description: string; footer: { text: string } };
    expect(embed.title).toBe('Where shall we meet?');
    expect(embed.description).toContain('**1.** Park\n▰▰▰▰▰▰▰▰▱▱ 3 (75%)');
    expect(embed.description).toContain(`Closes <t:${Date.parse('2026-11-25T17:00:00Z') / 1000}:R>.`);
    expect(embed.footer.text).toBe('Poll 7 · 4 voted · tap to vote, or type /vote 7 <number>');
    const hidden = one(view(2, { hidden: true })).embeds![0] as { description: string };
    expect(hidden.description).not.toMatch(/▰|▱/);
    expect(hidden.description).toContain('Results are hidden until it closes.');
  });

  it('puts the notes the view carries (a block, the quorum) first in the embed', () => {
    const embed = one(view(2, { type: 'proposal', notes: ['BLOCKED: 1 block (Eve).', 'Quorum: at least 5 voters needed.'] })).embeds![0] as { description: string };
    expect(embed.description).toBe('BLOCKED: 1 block (Eve).\nQuorum: at least 5 voters needed.\n\n**1.** Place 1\n**2.** Place 2');
  });

  it('a closed poll is edited to have no buttons', () => {
    const edit = renderEdit({ text: 'closed', poll: view(3, { closed: true }), editKey: 'poll:7', updateOnly: true });
    expect(edit.components).toEqual([]);
    expect((edit.embeds![0] as { description: string }).description).toContain('This poll is closed.');
    // A plain message with an edit key is edited as text.
    expect(renderEdit({ text: 'Updated', editKey: 'x' })).toMatchObject({ content: 'Updated', embeds: [], components: [] });
  });

  it('presses read back as /vote lines, and only ours', () => {
    expect(componentText('vote:7:3')).toBe('/vote 7 3');
    expect(componentText('vote:7:menu:2', ['26', '30'])).toBe('/vote 7 26 30');
    expect(componentText('vote:7:menu:1', [])).toBeUndefined();
    expect(componentText('something-else')).toBeUndefined();
  });

  it('--native posts a Discord poll only where its limits allow', () => {
    const native = (o: Partial<PollView>, n = 3) => isNativePoll(view(n, { native: true, ...o }));
    expect(native({})).toBe(true);
    expect(native({ type: 'proposal' })).toBe(true);
    expect(isNativePoll(view(3))).toBe(false); // not asked for
    expect(native({ anonymous: true })).toBe(false);
    expect(native({ hidden: true })).toBe(false);
    expect(native({}, 11)).toBe(false);
    expect(native({ multi: 2 }, 4)).toBe(false); // Discord cannot limit to 2 of 4
    expect(native({ multi: 4 }, 4)).toBe(true);
    expect(native({ type: 'ranked' })).toBe(false);
    expect(native({ question: 'x'.repeat(301) })).toBe(false);
  });

  it('shortens a long label to fit, never cutting an emoji in half (Discord may refuse the poll)', () => {
    const label = 'Picnic in the park'.padEnd(75, '.') + '🌳 then tea'; // in "1. <label>", the tree is characters 79 and 80
    const button = rows(view(2, { options: [{ index: 1, label }, { index: 2, label: 'Hall' }] }))[0]!.components[0] as unknown as { label: string };
    expect(button.label.length).toBeLessThanOrEqual(80);
    expect(button.label.endsWith('…')).toBe(true);
    expect(button.label).not.toMatch(/\p{Cs}/u); // no half of a character outside the basic plane
  });

  it('a native poll runs until the poll closes (at most 32 days) and reads back after a restart', () => {
    const v = view(3, { native: true, multi: 3, closesAt: new Date(NOW + 90 * 60_000).toISOString() });
    const body = one(v);
    expect(body.poll).toMatchObject({
      question: { text: 'Where shall we meet?' },
      answers: [{ poll_media: { text: '1. Place 1' } }, { poll_media: { text: '2. Place 2' } }, { poll_media: { text: '3. Place 3' } }],
      duration: 2,
      allow_multiselect: true,
    });
    expect(one(view(2, { native: true, closesAt: new Date(NOW + 90 * 86_400_000).toISOString() })).poll!.duration).toBe(768);
    // What Discord sends back: answer ids 1..n.
    const poll = body.poll as { answers: { poll_media: { text: string } }[]; allow_multiselect: boolean };
    const message = { content: body.content, poll: { ...poll, answers: poll.answers.map((a, k) => ({ answer_id: k + 1, poll_media: a.poll_media })) } };
    expect(readNativePoll(message)).toEqual({ pollId: 7, options: new Map([[1, 1], [2, 2], [3, 3]]), multiselect: true });
    expect(readNativePoll({ content: 'hello', poll: message.poll })).toBeUndefined();
  });
});

describe('plain messages', () => {
  it('never ping anyone', () => {
    expect(renderMessage({ text: '@everyone look' })[0]!.allowed_mentions).toEqual({ parse: [] });
  });

  it('are split to fit in 2000 characters', () => {
    const bodies = renderMessage({ text: ('x'.repeat(999) + '\n').repeat(3) });
    expect(bodies.map((b) => b.content!.length)).toEqual([1999, 999]);
    expect(renderMessage({ text: '  ' })[0]!.content).toBe('…');
  });
});
