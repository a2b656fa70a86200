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

/** Pipe `input` to the console bot and collect what it prints when it exits. */
export function runConsole(input: string, env: Record<string, string> = {}, args = ['--console'], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COLLABOT_LOG_LEVEL: 'warn', COLLABOT_DB: tempDb(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
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
