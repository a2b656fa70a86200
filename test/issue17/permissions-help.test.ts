// "Who may" has one source: for every command, what /help says about who may
// use it is what the bot enforces. Each role tries each privileged command (its
// own first example); the registry refusal comes exactly when help says so.
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import { HELP_TOPICS } from '../../commands/help-topics.js';
import { createHarness } from '../helpers/harness.js';

type Held = 'nobody' | 'delegate' | 'facilitator' | 'lead' | 'admin';
const HELD: Held[] = ['nobody', 'delegate', 'facilitator', 'lead', 'admin'];

/** Who help says may run it, read back from its "Who:" line. */
function allowedByHelp(who: string): Set<Held> {
  if (who === 'anyone' || who.startsWith('anyone')) return new Set(HELD);
  const out = new Set<Held>();
  if (/\ba lead\b/.test(who)) out.add('lead');
  if (/\ba facilitator\b/.test(who)) out.add('facilitator');
  if (/\ba delegate\b/.test(who)) out.add('delegate');
  if (/\ban admin\b/.test(who) && !/being an admin is not enough/.test(who)) out.add('admin');
  return out;
}

async function whoLine(name: string): Promise<string> {
  const h = await createHarness();
  try {
    const [help] = await h.say(`/help ${name}`);
    const block = help!.split('\n\n').find((b) => b.replace(/^\[main\] /, '').startsWith(`/${name} `) || b.replace(/^\[main\] /, '').startsWith(`/${name}\n`)) ?? help!;
    return /Who: (.*)/.exec(block)![1]!;
  } finally {
    await h.close();
  }
}

const privileged = allCommands.filter((s) => s.roles?.length);

describe('who may: help and enforcement agree', () => {
  it.each(privileged.map((s) => [s.name, s.examples[0]!] as const))('/%s', async (name, example) => {
    const allowed = allowedByHelp(await whoLine(name));
    const refusedFor: Held[] = [];
    for (const held of HELD) {
      const h = await createHarness({ admins: held === 'admin' ? 'console:ana,console:mallory' : 'console:ana' });
      try {
        await h.say('/collab create Forum', { as: 'ana' });
        if (held !== 'nobody' && held !== 'admin') await h.say(`/role add @mallory ${held}`, { as: 'ana' });
        const replies = await h.say(example, { as: 'mallory' });
        if (replies.some((r) => r.includes(`can use /${name}.`) && /\] Only /.test(r))) refusedFor.push(held);
      } finally {
        await h.close();
      }
    }
    expect(refusedFor.sort()).toEqual(HELD.filter((x) => !allowed.has(x)).sort());
  }, 30_000);

  it('says who for the commands whose handler decides (the person who asked, who set it)', async () => {
    expect(await whoLine('grant withdraw')).toBe('the person who asked for it');
    expect(await whoLine('grant report')).toBe('the person who asked for it');
    expect(await whoLine('remind cancel')).toBe('the person who set it, a facilitator of its collab or an admin');
    expect(await whoLine('grant approve')).toBe('a lead (being an admin is not enough)');
  });

  it('refuses an admin who is not a lead /grant approve in the words help uses', async () => {
    const h = await createHarness({ admins: 'console:ana' });
    try {
      await h.say('/collab create Forum', { as: 'ana' });
      expect(await h.say('/grant approve 1', { as: 'ana' })).toEqual([
        '[main] Only a lead (being an admin is not enough) can use /grant approve. Type /roles to see who can help.',
      ]);
    } finally {
      await h.close();
    }
  });
});

describe('/help fits one phone screen', () => {
  it('lists one line per topic in at most 15 lines, and every command family is in a topic', async () => {
    const h = await createHarness();
    try {
      const [help] = await h.say('/help');
      const lines = help!.split('\n');
      expect(lines.length).toBeLessThanOrEqual(15);
      expect(help).toContain('Polls: ask, vote with reasons, see results — /help polls');
      const families = new Set(allCommands.map((c) => c.name.split(' ')[0]!));
      const covered = new Set(HELP_TOPICS.flatMap((t) => t.families));
      expect([...families].filter((f) => !covered.has(f) && f !== 'help')).toEqual([]);
      const [polls] = await h.say('/help polls');
      expect(polls).toContain('/poll delete — Delete a poll');
      expect(polls).toContain('/vote — ');
      expect(polls).not.toContain('/grant');
    } finally {
      await h.close();
    }
  });
});
