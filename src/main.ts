// Entry point: `npm start` runs every adapter whose credentials are configured,
// or the console adapter when none is (or with --console).
import { existsSync } from 'node:fs';
import { ConsoleAdapter } from '../adapters/console/index.js';
import { adapterEntries } from '../adapters/index.js';
import { allCommands } from '../commands/index.js';
import { systemClock } from './clock.js';
import { loadConfig, secretsOf, type Config } from './config.js';
import { Bot } from './core/bot.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';
import type { Adapter } from './model.js';
import { openDatabase } from './storage/db.js';
import { DatabaseInUseError, lockInstance, type InstanceLock } from './storage/instance-lock.js';

async function main(argv: string[]) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.COLLABOT_LOG_LEVEL, secretsOf(config));
  process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled promise rejection'));

  let lock!: InstanceLock;
  let db: ReturnType<typeof openDatabase>;
  try {
    // The lock first, migrations after: a newer version must not migrate a database another bot is running on.
    db = openDatabase(config.COLLABOT_DB, {
      beforeMigrate: (d) => {
        lock = lockInstance(d, config.COLLABOT_DB, process.pid, Date.now, {
          onLost: (pid) => {
            log.error({ pid }, 'another Collabot has taken over this database; stopping this one');
            void shutdown(1);
          },
        });
      },
    });
  } catch (err) {
    if (err instanceof DatabaseInUseError) {
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    throw err;
  }
  const bot = new Bot({ db, config, clock: systemClock, log, commands: allCommands });
  let site: { close(): Promise<void> } | undefined;
  // Defined before anything awaits, so the lock's onLost can always call it.
  let shuttingDown = false;
  const shutdown = async (code: number, graceMs = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    await site?.close();
    // Graceful: no new events, queued messages get up to graceMs to go out. Lock lost: stop at once.
    if (graceMs) await bot.shutdown(graceMs);
    else await bot.stop();
    lock.release();
    db.close();
    process.exit(code);
  };

  const forceConsole = argv.includes('--console');
  const adapters: Adapter[] = [];
  if (!forceConsole) {
    for (const entry of adapterEntries) {
      if (entry.enabled(config)) adapters.push(await entry.load(config, log, bot.registry));
    }
  }
  if (!adapters.length) {
    const interactive = !!process.stdin.isTTY;
    adapters.push(
      new ConsoleAdapter({
        interactive,
        // Piped input: once it ends, deliver what is queued, then exit.
        onEnd: () => void bot.drain().then(() => shutdown(0)),
      }),
    );
    if (interactive) process.stdout.write('Collabot console. Type /help, or :as NAME and :in CHAT to switch speaker and chat. Ctrl-D to quit.\n');
  }
  for (const a of adapters) bot.use(a);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log.info({ signal }, 'stopping: delivering what is queued (up to 10 s)');
      void shutdown(0, 10_000);
    });
  }
  await bot.start();
  if (config.COLLABOT_WEB_PORT !== undefined) {
    // The public site reads through its own read-only connection. Loaded only when
    // wanted: the charting library takes a while to load.
    const { startSiteServer } = await import('./site/server.js');
    const web = await startSiteServer({
      dbPath: config.COLLABOT_DB,
      port: config.COLLABOT_WEB_PORT,
      host: config.COLLABOT_WEB_HOST,
      clock: systemClock,
      log,
      site: { tz: config.COLLABOT_TZ, site: config.COLLABOT_SITE_NAME, baseUrl: config.COLLABOT_SITE_URL },
      adapters: () => adapters.map((a) => ({ platform: a.platform, health: a.health?.() ?? null })),
    });
    site = web;
    log.info({ port: web.port, host: config.COLLABOT_WEB_HOST }, 'transparency site serving');
  }
  log.info({ adapters: adapters.map((a) => a.platform), db: config.COLLABOT_DB }, 'Collabot started');
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`Collabot could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
