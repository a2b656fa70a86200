// startup: time from process start to the console adapter's first reply, as
// `npm start` runs it (the JavaScript tsc compiled to dist/, rebuilt first);
// baseline: starting Node itself (`node -e ""`), interleaved with it. One more
// start, with every import traced, checks that no platform SDK is loaded when
// its adapter is off.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, nowMs, result, type Bench } from './lib.js';

const SDKS = ['@slack/bolt', 'discord.js', 'whatsapp-web.js', 'puppeteer'];

/**
 * What a console-only start loads: the platform SDKs (none, if adapters load them
 * only when on), and how many module files, ours and by package.
 */
function traceStart(): { sdks: string[]; files: number; ours: number; packages: [string, number][] } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-trace-'));
  const trace = join(dir, 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', './test/helpers/import-hooks.mjs', 'dist/src/main.bundle.js', '--console'], {
    input: '/help\n',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', COLLABOT_DB: join(dir, 'b.sqlite'), COLLABOT_LOG_LEVEL: 'silent', TRACE_IMPORTS_FILE: trace },
  });
  if (r.status !== 0) throw new Error(`traced start-up failed: ${r.stderr}`);
  const loaded = readFileSync(trace, 'utf8');
  if (!loaded.includes('better-sqlite3')) throw new Error('the import trace recorded nothing');
  const files = [...new Set(loaded.split('\n').filter((u) => u.startsWith('file:')))];
  const byPackage = new Map<string, number>();
  for (const f of files) {
    const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1];
    if (pkg) byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + 1);
  }
  return {
    sdks: SDKS.filter((sdk) => loaded.includes(`/node_modules/${sdk}/`)),
    files: files.length,
    ours: files.filter((f) => !f.includes('/node_modules/')).length,
    packages: [...byPackage].sort((a, b) => b[1] - a[1]),
  };
}

function time(args: string[], input: string | undefined, untilOutput: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', COLLABOT_DB: join(mkdtempSync(join(tmpdir(), 'bench-')), 'b.sqlite'), COLLABOT_LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(nowMs() - t0);
    };
    if (untilOutput) child.stdout.once('data', () => (finish(), child.kill()));
    else child.stdout.resume();
    child.on('close', finish);
    child.on('error', reject);
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

export const startup: Bench = async ({ quick }) => {
  const n = quick ? 5 : 11;
  execSync('npm run build', { stdio: 'ignore' });
  const bot: number[] = [];
  const base: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) {
    base.push(await time(['-e', ''], undefined, false));
    bot.push(await time(['dist/src/main.bundle.js', '--console'], '/help\n', true));
    ratios.push(bot[i]! / base[i]!);
  }
  const { sdks, files, ours, packages } = traceStart();
  const ratio = median(ratios);
  return [
    result({
      bench: 'startup',
      value: median(bot),
      unit: 'ms',
      baseline: median(base),
      ratio,
      goal: 'ratio <= 6, and no platform SDK loaded when its adapter is off',
      met: ratio <= 6 && sdks.length === 0,
      limits: sdks.length
        ? `a console-only start loaded ${sdks.join(', ')}; an adapter should load its SDK by dynamic import only when switched on`
        : `Node reads and compiles the bundle and the ${files - ours} ES module files of the packages kept out of it (${packages.slice(0, 5).map(([p, n]) => `${p} ${n}`).join(', ')}), ` +
          'besides the CommonJS files they require; then it opens the database and runs the core',
      note: `median of ${n} pairs (node -e "" then the bot; ratio is the median of the pairs' ratios); the bundle npm start runs (dist/src/main.bundle.js: tsc's output bundled by esbuild), time to the reply to /help; SDKs loaded by a console-only start: ${sdks.join(', ') || 'none'}`,
    }),
  ];
};
