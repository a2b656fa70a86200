// Structured logs with pino, always to stderr (stdout belongs to the console adapter).
import { pino, type Logger } from 'pino';

export type { Logger };

/** `destination` defaults to stderr; tests pass an in-memory stream. */
export function createLogger(level: string, secrets: string[] = [], destination?: { write(s: string): void }): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'secret', '*.secret'], censor: '[redacted]' },
      hooks: {
        // Belt and braces: scrub known secret values from every log line.
        streamWrite: (line) => scrub(line, secrets),
      },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** Pieces of a secret this long are secret too: a search snippet or a split message can cut a token short. */
const SECRET_PIECE = 12;

/** Replace every secret, and every piece of one at least SECRET_PIECE long, with [redacted]. */
export function scrub(text: string, secrets: string[]): string {
  const found: [number, number][] = [];
  for (const s of secrets) {
    const w = Math.min(SECRET_PIECE, s.length);
    if (!w) continue;
    for (let i = 0; i + w <= s.length; i++) {
      const piece = s.slice(i, i + w);
      for (let at = text.indexOf(piece); at !== -1; at = text.indexOf(piece, at + 1)) found.push([at, at + w]);
    }
  }
  if (!found.length) return text;
  // Overlapping pieces are one secret (or one stretch of it): redact each stretch once.
  found.sort((a, b) => a[0] - b[0]);
  let out = '';
  let done = 0;
  for (let i = 0; i < found.length; ) {
    const start = found[i]![0];
    let end = found[i]![1];
    while (++i < found.length && found[i]![0] <= end) end = Math.max(end, found[i]![1]);
    out += text.slice(done, start) + '[redacted]';
    done = end;
  }
  return out + text.slice(done);
}

export const silentLogger: Logger = pino({ level: 'silent' });
