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

export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s && out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

export const silentLogger: Logger = pino({ level: 'silent' });
