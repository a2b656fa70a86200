// `npm run whatsapp -- doctor`: checks this machine's WhatsApp set-up without
// logging in or sending anything (adapters/whatsapp/doctor.ts).
import { existsSync } from 'node:fs';
import { runDoctor, renderFindings } from '../adapters/whatsapp/doctor.js';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const USAGE = 'Usage: npm run whatsapp -- doctor   (checks Chromium, the session folder and the WhatsApp Web version; sends nothing)\n';

async function main(argv: string[]) {
  if (argv[0] !== 'doctor') {
    process.stderr.write(argv.length ? `Unknown command "${argv[0]}". ${USAGE}` : USAGE);
    return 2;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stdout.write(`✗ ${err.message}\n  Fix: correct these settings in .env, then run npm run whatsapp -- doctor again.\n`);
    return 1;
  }
  const findings = await runDoctor(config);
  process.stdout.write(renderFindings(findings));
  return findings.some((f) => f.status === 'problem') ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`The WhatsApp doctor could not run: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
