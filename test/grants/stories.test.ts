import { afterEach, describe, expect, it } from 'vitest';
import { storyCommands } from '../../commands/story.js';
import { bindArgs } from '../../src/core/registry.js';
import { tokenize } from '../../src/text/tokenizer.js';
import type { Harness } from '../helpers/harness.js';
import { foodNetwork } from './setup.js';

let h: Harness;
afterEach(async () => h.close());

describe('stories', () => {
  it('records stories with an outcome tag typed before or after the text, and lists them per collab', async () => {
    h = await foodNetwork();
    expect(await h.say('/story Ten families now get fresh food every week --outcome local-need', { as: 'ben' })).toEqual([
      '[main] Thank you! Story #1 is saved for Food Network (Responding to local need). Type /stories to read them.\n' +
        'If Food Network publishes its stories, the public site shows this one as from Food Network. To show your name with it instead, type /story show-name 1',
    ]);
    expect((await h.say('/story --outcome collaboration The council and two charities now plan the food bank together', { as: 'cara' }))[0]).toContain(
      'Story #2 is saved for Food Network (Cross-sector collaboration)',
    );
    // A unique start of a tag or of its name is enough; an em dash from a phone works too.
    expect((await h.say('/story Young people ran the AGM this year \u2014outcome shared', { as: 'ben' }))[0]).toContain('(Leading shared agendas)');
    expect((await h.say('/story A plain story with no tag at all', { as: 'ben' }))[0]).toMatch(/^\[main\] Thank you! Story #4 is saved for Food Network\. Type \/stories to read them\.\n/);
    const [list] = await h.say('/stories');
    expect(list).toMatch(/^\[main\] 4 stories for Food Network:\n• #4 Mon 23 Nov 2026, ben: A plain story with no tag at all\n/);
    expect(list).toContain('• #1 Mon 23 Nov 2026, ben (Responding to local need): Ten families now get fresh food every week');
    expect((await h.say('/stories local-need'))[0]).toMatch(/^\[main\] 1 story about Responding to local need for Food Network:\n• #1 /);
    // Outside a collab: every collab's stories, with the collab named.
    expect((await h.say('/stories', { in: 'dm-lee', direct: true, as: 'lee' }))[0]).toContain('4 stories for all collabs:\n• #4 Food Network, Mon 23 Nov 2026, ben');
    await h.say('/collab create Youth Forum', { as: 'cara', in: 'youth' });
    expect((await h.say('/stories', { in: 'youth' }))[0]).toContain('There are no stories for Youth Forum yet. Add one with /story, e.g. /story');
  });

  it('refuses unknown tags, too-short stories and stories outside a collab, saying what to type', async () => {
    h = await foodNetwork();
    const [bad] = await h.say('/story We did a lot of good things --outcome happiness', { as: 'ben' });
    expect(bad).toContain('I don\'t know the outcome "happiness". Use one of these tags:');
    for (const tag of ['involved', 'collaboration', 'shared-agendas', 'local-need', 'decisions', 'economy']) expect(bad).toContain(`• ${tag} — `);
    expect(bad).toContain('For example: /story Ten families now get fresh food every week --outcome local-need');
    expect((await h.say('/story good --outcome economy', { as: 'ben' }))[0]).toContain('Tell the story in a sentence or more');
    expect((await h.say('/story We did a lot of good things --outcome', { as: 'ben' }))[0]).toContain('--outcome needs a tag after it');
    expect((await h.say('/story Something that happened in a DM', { in: 'dm', direct: true, as: 'ben' }))[0]).toContain('This chat is not a collab yet');
    expect((await h.say('/stories happiness'))[0]).toContain('I don\'t know the outcome "happiness"');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM stories').get()).toEqual({ n: 0 });
  });

  it('lets admins add, rename and retire outcome tags; old stories keep theirs', async () => {
    h = await foodNetwork();
    expect((await h.say('/outcomes'))[0]).toBe(
      '[main] Outcome tags (type the short one, e.g. --outcome local-need):\n• involved — More involved communities\n• collaboration — Cross-sector collaboration\n' +
        '• shared-agendas — Leading shared agendas\n• local-need — Responding to local need\n• decisions — Third sector input to decisions\n• economy — Inclusive local social economy',
    );
    expect((await h.say('/outcome add food-access Better access to good food', { as: 'ben' }))[0]).toContain('Only an admin can use /outcome add');
    expect(await h.say('/outcome add Food-Access Better access to good food', { as: 'ana' })).toEqual(['[main] Done: the outcome tag food-access is added: Better access to good food.']);
    expect((await h.say('/outcome add "food access" Better access', { as: 'ana' }))[0]).toContain('A tag is one short word people can type');
    await h.say('/story Forty families joined the new food co-op --outcome economy', { as: 'ben' });
    expect((await h.say('/outcome remove economy', { as: 'ana' }))[0]).toBe(
      '[main] Done: economy (Inclusive local social economy) is no longer offered. Stories that have it keep it. To bring it back: /outcome add economy Inclusive local social economy',
    );
    expect((await h.say('/story Another co-op opened this month --outcome economy', { as: 'ben' }))[0]).toContain('I don\'t know the outcome "economy"');
    expect((await h.say('/stories'))[0]).toContain('(Inclusive local social economy): Forty families joined the new food co-op');
    expect((await h.say('/outcomes'))[0]).toMatch(/• food-access — Better access to good food$/);
    expect((await h.say('/outcome add economy A fairer local economy', { as: 'ana' }))[0]).toBe('[main] Done: the outcome tag economy is now called: A fairer local economy.');
    expect((await h.say('/outcomes'))[0]).toContain('• economy — A fairer local economy');
  });

  it('takes a trailing option off free text, keeping the rest as typed (the registry does it for every command)', () => {
    const story = storyCommands.find((s) => s.name === 'story')!;
    const bind = (text: string) => bindArgs(story, tokenize(text), text);
    expect(bind('We ran "two" sessions\nfor all --outcome local-need')).toEqual({ text: 'We ran "two" sessions\nfor all', outcome: 'local-need' });
    expect(bind('We ran it --outcome=economy')).toEqual({ text: 'We ran it', outcome: 'economy' });
    expect(bind('We used --outcome as a word in the middle')).toEqual({ text: 'We used --outcome as a word in the middle' });
    expect(bind('Just text')).toEqual({ text: 'Just text' });
  });
});
