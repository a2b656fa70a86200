// With tokens set, no log line and no reply ever contains them.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/core/registry.js';
import { createLogger } from '../../src/logger.js';
import { secretsOf, loadConfig } from '../../src/config.js';
import { createHarness } from '../helpers/harness.js';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefSECRET',
  SLACK_APP_TOKEN: 'xapp-1-A111-222-appSECRET',
  SLACK_SIGNING_SECRET: 'signingSECRET0123456789',
  DISCORD_TOKEN: 'MTIzNDU2Nzg5.discordSECRET.abc',
};

// A command that misbehaves: logs the config and throws an error quoting a token.
const leaky = defineCommand({
  name: 'leaky',
  summary: 'test only',
  usage: '/leaky',
  examples: ['/leaky'],
  args: z.object({}),
  handler(ctx) {
    ctx.services.log.info({ config: ctx.services.config, token: SECRETS.SLACK_BOT_TOKEN }, `about to fail with ${SECRETS.DISCORD_TOKEN}`);
    throw new Error(`bad token ${SECRETS.SLACK_BOT_TOKEN}`);
  },
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
});
