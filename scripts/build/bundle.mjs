// After tsc: bundle the compiled start-up path into dist/src/main.bundle.js,
// which `npm start` runs. Node's ES module loader reads and compiles each file
// one at a time (zod alone is about a hundred, with every locale), so one file
// starts several times faster. Kept outside the bundle, loaded as they are:
// better-sqlite3 (native), pino (its transports run files in worker threads),
// node-cron, the platform SDKs and the site (src/site reads its templates from
// its own folder; main.ts loads it only when COLLABOT_WEB_PORT is set). The
// adapters become chunks of their own, so a platform's SDK loads only when its
// adapter is switched on.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunks are named by their hash: clear the old ones, or every rebuild leaves some behind.
rmSync('dist/src/chunks', { recursive: true, force: true });
await build({
  entryPoints: { 'main.bundle': 'dist/src/main.js' },
  outdir: 'dist/src',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  external: [
    'better-sqlite3',
    'pino',
    'pino-pretty',
    'node-cron',
    '@slack/*',
    'discord.js',
    '@discordjs/*',
    'whatsapp-web.js',
    'puppeteer',
    'puppeteer-core',
    'qrcode-terminal',
    'ws',
    './site/server.js',
  ],
  // Some bundled CommonJS code calls require().
  banner: { js: "import { createRequire as __collabotRequire } from 'node:module'; const require = __collabotRequire(import.meta.url);" },
  logLevel: 'warning',
});
