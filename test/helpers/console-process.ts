// Run the real bot (`src/main.ts --console`) as a child process, as `npm start` does.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'collabot-')), 'test.sqlite');
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnConsole(env: Record<string, string>, args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COLLABOT_LOG_LEVEL: 'warn', COLLABOT_DB: tempDb(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Pipe `input` to the console bot and collect what it prints when it exits. */
export function runConsole(input: string, env: Record<string, string> = {}, args = ['--console'], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnConsole(env, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`console bot did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

export interface LiveConsole {
  /** Type lines into the running bot (stdin stays open). */
  write(lines: string): void;
  /** Resolves with the first match once stdout contains `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** End stdin (the bot then delivers what is queued and exits) and wait for the exit. */
  end(timeoutMs?: number): Promise<RunResult>;
}

/** The console bot with stdin kept open, for things that happen later (reminders). */
export function startConsole(env: Record<string, string> = {}, args = ['--console']): LiveConsole {
  const child = spawnConsole(env, args);
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (d) => {
    stdout += d;
    for (const w of watchers) w();
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const kill = () => child.kill('SIGKILL');
  return {
    write: (lines) => void child.stdin.write(lines.endsWith('\n') ? lines : lines + '\n'),
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = stdout.match(pattern);
          if (!m) return;
          cleanup();
          resolve(m);
        };
        const timer = setTimeout(() => {
          cleanup();
          kill();
          reject(new Error(`console bot never printed ${pattern} within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      });
    },
    async end(timeoutMs = 15_000) {
      child.stdin.end();
      const timer = setTimeout(kill, timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code, stdout, stderr };
    },
  };
}
