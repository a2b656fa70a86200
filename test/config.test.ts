import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('configuration', () => {
  it('has sensible defaults', () => {
    const c = loadConfig({});
    expect(c.COLLABOT_DB).toBe('data/collabot.sqlite');
    expect(c.COLLABOT_TZ).toBe('Europe/London');
    expect(c.COLLABOT_ADMINS).toEqual([]);
    expect(c.COLLABOT_MISSED_GRACE).toBe(6 * 3600e3);
    expect(c.WHATSAPP_ENABLED).toBe(false);
  });

  it('parses admins, durations and booleans', () => {
    const c = loadConfig({ COLLABOT_ADMINS: 'console:ana, slack:U024BE7LH', COLLABOT_MISSED_GRACE: '30m', WHATSAPP_ENABLED: 'true' });
    expect(c.COLLABOT_ADMINS).toEqual([
      { platform: 'console', userId: 'ana' },
      { platform: 'slack', userId: 'U024BE7LH' },
    ]);
    expect(c.COLLABOT_MISSED_GRACE).toBe(30 * 60e3);
    expect(c.WHATSAPP_ENABLED).toBe(true);
  });

  it.each([
    ['COLLABOT_TZ', 'Nowhere/Place', 'COLLABOT_TZ: must be an IANA time zone'],
    ['COLLABOT_ADMINS', 'ana', 'COLLABOT_ADMINS: "ana" should look like platform:user'],
    ['COLLABOT_GRANT_APPROVALS', 'two', 'COLLABOT_GRANT_APPROVALS'],
    ['COLLABOT_MISSED_GRACE', 'soon', 'COLLABOT_MISSED_GRACE: must be a duration'],
    ['WHATSAPP_ENABLED', 'maybe', 'WHATSAPP_ENABLED'],
    ['SLACK_API_URL', 'not a url', 'SLACK_API_URL: must be a full URL'],
    ['PORT', '99999', 'PORT'],
  ])('names the variable when %s is bad', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });
});
