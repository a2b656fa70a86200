// All configuration, parsed once at start-up by one zod schema. A bad value stops
// start-up with a message naming the variable.
import { z } from 'zod';
import { ConfigError } from './errors.js';

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const optionalUrl = optionalString.pipe(z.url({ message: 'must be a full URL, e.g. http://127.0.0.1:3000/api/' }).optional());

/** `5m`, `6h`, `2d`, `30s` or plain milliseconds, as a number of milliseconds. */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const m = /^(\d+)(ms|s|m|h|d)?$/.exec(v.trim());
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 30s, 15m, 6h or 2d' });
        return z.NEVER;
      }
      const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] ?? 'ms']!;
      return Number(m[1]) * unit;
    });

const admins = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const list = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const item of list) {
      if (!/^[a-z]+:.+$/.test(item)) {
        ctx.addIssue({ code: 'custom', message: `"${item}" should look like platform:user, e.g. console:ana or slack:U024BE7LH` });
      }
    }
    return list.map((item) => {
      const i = item.indexOf(':');
      return { platform: item.slice(0, i), userId: item.slice(i + 1) };
    });
  });

export const configSchema = z.object({
  COLLABOT_DB: z.string().min(1).default('data/collabot.sqlite'),
  COLLABOT_ADMINS: admins,
  COLLABOT_TZ: z.string().default('Europe/London').refine(isValidTimeZone, 'must be an IANA time zone, e.g. Europe/London'),
  COLLABOT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Let the platform SDKs log at debug level too. Their debug output shows message contents (votes, link codes). */
  COLLABOT_SDK_DEBUG: bool,
  COLLABOT_GRANT_APPROVALS: z.coerce.number().int().min(1).max(10).default(2),
  COLLABOT_MISSED_GRACE: duration('6h'),
  COLLABOT_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  // Operations (docs/operate/backups.md): daily backups into this folder, and how many to keep.
  COLLABOT_BACKUP_DIR: optionalString,
  COLLABOT_BACKUP_KEEP: z.string().default('7d,4w').refine((v) => /^\s*\d{1,4}[dwm](\s*,\s*\d{1,4}[dwm])*\s*$/.test(v), 'must list how many daily, weekly and monthly backups to keep, e.g. 7d,4w'),
  /** How long delivered messages, event ids and message references are kept. */
  COLLABOT_RETENTION: duration('90d'),
  // The transparency site (issue 19): served live when a port is set.
  COLLABOT_WEB_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  COLLABOT_WEB_HOST: z.string().default('127.0.0.1'),
  COLLABOT_SITE_NAME: z.string().default('The Collective: decisions, grants and impact'),
  COLLABOT_SITE_URL: optionalUrl,

  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: optionalUrl,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),

  DISCORD_TOKEN: optionalString,
  DISCORD_APP_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_TEXT_COMMANDS: bool,
  DISCORD_API_URL: optionalUrl,

  WHATSAPP_ENABLED: bool,
  WHATSAPP_PAIRING_NUMBER: optionalString,
  WHATSAPP_SEND_INTERVAL: duration('4s'),
  WHATSAPP_READY_TIMEOUT: duration('3m'),
  WHATSAPP_WEB_VERSION: optionalString.pipe(z.string().regex(/^\d+\.\d+\.\d+(-[\w.]+)?$/, 'must be a WhatsApp Web version such as 2.3000.1017054665').optional()),
  WHATSAPP_WEB_VERSION_URL: optionalString.pipe(
    z.string().regex(/^https?:\/\/\S*\{version\}\S*$/, 'must be a web address with {version} where the version goes, e.g. https://example.org/wa-version/html/{version}.html').optional(),
  ),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
});

export type Config = z.infer<typeof configSchema>;

/** Parse the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') clean[k] = v;
  const result = configSchema.safeParse(clean);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Collabot cannot start: some settings are wrong.\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Values that must never appear in logs or replies. */
export function secretsOf(config: Config): string[] {
  return [config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET, config.DISCORD_TOKEN].filter(
    (s): s is string => !!s && s.length >= 6,
  );
}
