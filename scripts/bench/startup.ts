// startup: time from process start to the console adapter's first reply;
// baseline: starting Node itself (`node -e ""`).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, nowMs, result, type Bench } from './lib.js';

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
  const n = quick ? 3 : 7;
  const bot: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < n; i++) {
    base.push(await time(['-e', ''], undefined, false));
    bot.push(await time(['--import', 'tsx', 'src/main.ts', '--console'], '/help\n', true));
  }
  return [
    result({
      bench: 'startup',
      value: median(bot),
      unit: 'ms',
      baseline: median(base),
      note: 'median of ' + n + '; includes tsx compiling TypeScript on the fly',
    }),
  ];
};
