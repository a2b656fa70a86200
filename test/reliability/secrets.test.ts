// With tokens set, no log line and no reply ever contains them.
import { describe, expect, it } from 'vitest';
import { createLogger, scrub } from '../../src/logger.js';
import { secretsOf, loadConfig } from '../../src/config.js';
import { testCommand } from '../helpers/core-events.js';
import { createHarness } from '../helpers/harness.js';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefSECRET',
  SLACK_APP_TOKEN: 'xapp-1-A111-222-appSECRET',
  SLACK_SIGNING_SECRET: 'signingSECRET0123456789',
  DISCORD_TOKEN: 'MTIzNDU2Nzg5.discordSECRET.abc',
};

// A command that misbehaves: logs the config and throws an error quoting a token.
const leaky = testCommand('leaky', (ctx) => {
  ctx.services.log.info({ config: ctx.services.config, token: SECRETS.SLACK_BOT_TOKEN }, `about to fail with ${SECRETS.DISCORD_TOKEN}`);
  throw new Error(`bad token ${SECRETS.SLACK_BOT_TOKEN}`);
});

/** A secret, or a piece of one long enough to matter (a snippet may cut a token short), found in `text`. */
function leaked(text: string): string | undefined {
  for (const s of Object.values(SECRETS)) {
    for (let i = 0; i + 12 <= s.length; i++) if (text.includes(s.slice(i, i + 12))) return s.slice(i, i + 12);
  }
  return undefined;
}

describe('scrub', () => {
  it('redacts secrets, and pieces of them, once per stretch', () => {
    const secrets = Object.values(SECRETS);
    expect(scrub(`a ${SECRETS.DISCORD_TOKEN} b ${SECRETS.SLACK_BOT_TOKEN}`, secrets)).toBe('a [redacted] b [redacted]');
    expect(scrub('cut short: MTIzNDU2Nzg5.discordSECRET… and xoxb-1111', secrets)).toBe('cut short: [redacted]… and xoxb-1111');
    expect(scrub('nothing secret here', secrets)).toBe('nothing secret here');
  });
});

describe('secrets', () => {
  it('never appear in logs or replies', async () => {
    const lines: string[] = [];
    // The same logger the bot uses, writing into memory instead of stderr.
    const log = createLogger('trace', secretsOf(loadConfig(SECRETS)), { write: (s: string) => lines.push(s) });
    const h = await createHarness({ env: SECRETS, log, commands: [leaky] });
    const replies = [
      ...(await h.say(`/collab create ${SECRETS.SLACK_BOT_TOKEN}`)),
      ...(await h.say(`/help ${SECRETS.DISCORD_TOKEN}`)),
      ...(await h.say(`/${SECRETS.SLACK_SIGNING_SECRET}`)),
      ...(await h.say('/leaky')),
    ];
    expect(replies.length).toBe(4);
    const everything = replies.join('\n') + lines.join('\n') + JSON.stringify(h.db.prepare('SELECT body FROM outbox').all());
    for (const s of Object.values(SECRETS)) expect(everything).not.toContain(s);
    expect(lines.join('')).toContain('command failed');
    expect(replies.join('')).toContain('[redacted]');
    await h.close();
  });

  it('stay out of what people typed into polls, votes, notes, grants, reminders, stories and minutes, now and later', async () => {
    const lines: string[] = [];
    const log = createLogger('trace', secretsOf(loadConfig(SECRETS)), { write: (s: string) => lines.push(s) });
    const h = await createHarness({ env: SECRETS, log, admins: 'console:ana' });
    const [slack, app, signing, discord] = Object.values(SECRETS) as [string, string, string, string];
    const note = `/notes add Tokens ${slack} -- the app token is ${app}\nACTION @ben by friday: rotate ${discord}`;
    const said = await h.script(`:as ana
/collab create Forum
/role add @ben lead
/role add @lee lead
/fund set discovery 5000
/poll "Is ${slack} our token?" "Yes ${app}" "No ${discord}"
/poll "Rank them" "${signing}" "Garden" --type ranked
:as cara
/vote 1 Yes ${app}
/vote 2 ${signing} Garden
/vote 1 ${discord}
/grant request discovery £500 Pay for rotating ${signing} and ${slack}
/remind me in 1 hour rotate ${discord} please
/story We stopped leaking ${app} in the chat
:as ben
/grant approve 1 Fine, but never post ${slack} again
:as ana
/poll results 1
/poll close 2
/remind in 1 hour tell everyone ${slack} is gone
/subscribe minutes
/delegate add @dee Community Planning Partnership
:as dee
/minutes "Board ${slack}" We discussed ${app} at length
:as cara
/comment 1 Do not paste ${discord} here
:as dee
/minutes digest 1`);
    said.push(...(await h.say(note, { as: 'cara' })), ...(await h.say(`/notes search ${slack}`)), ...(await h.say('/notes show 1')), ...(await h.say('/notes export 1')));
    expect(said.join('\n')).toMatch(/Saved note #1[^]*1 action/);
    expect(said.join('\n')).toMatch(/Minutes #1[^]*Comment on minutes #1[^]*Digest of comments/);
    // Later: the reminders fire, the action's reminder comes due, the leads are nudged.
    const later = [...(await h.advance(3600_000 + 1000)), ...(await h.advance(7 * 86_400_000))];
    const replies = [...said, ...later];
    expect(replies.length).toBeGreaterThan(20);
    expect(replies.some((r) => /\[redacted\]/.test(r))).toBe(true);
    const everything = replies.join('\n') + lines.join('\n') + JSON.stringify(h.db.prepare('SELECT body FROM outbox').all());
    expect(leaked(everything)).toBeUndefined();
    await h.close();
  });
});
