// The running version, from the nearest package.json above this file (the same
// whether the bot runs from src/ with tsx or from compiled files).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function appVersion(): string {
  if (cached) return cached;
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'collabot') return (cached = pkg.version ?? 'unknown');
  }
  return (cached = 'unknown');
}
