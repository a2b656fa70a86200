// The deployment recipe names only scripts and paths that exist, so it cannot
// silently rot as the project changes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/console-process.js';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const scripts = Object.keys(JSON.parse(read('package.json')).scripts as Record<string, string>);
const FILES = ['Dockerfile', 'compose.yaml', 'deploy/collabot.service', 'docs/operate/deploy.md', 'docs/operate/backups.md', 'docs/operate/scale.md'];

/** `npm start`, `npm test`, `npm run NAME` in a text (not `npm run NAME --if-present`, which may be absent). */
function npmScripts(text: string): string[] {
  return [...text.matchAll(/\bnpm (start|test)\b|\bnpm run(?:-script)? ([\w:-]+)\b(?! --if-present)/g)].map((m) => (m[1] ?? m[2])!);
}

/** Project paths a text names: `src/…`, `scripts/…`, `deploy/…`, `docs/…`, `.env.example` and the like. */
function projectPaths(text: string): string[] {
  return [...text.matchAll(/(?<![\w/.-])((?:src|scripts|deploy|docs|adapters|commands|test)\/[\w./-]*[\w]|\.env\.example|compose\.yaml|Dockerfile|package-lock\.json|tsconfig\.json|\.puppeteerrc\.cjs)/g)].map(
    (m) => m[1]!.replace(/#.*$/, ''),
  );
}

describe('deployment files', () => {
  it.each(FILES)('%s exists and names only npm scripts and project paths that exist', (file) => {
    expect(existsSync(join(ROOT, file))).toBe(true);
    const text = read(file);
    for (const s of npmScripts(text)) expect(scripts, `${file} runs npm ${s}`).toContain(s);
    for (const p of projectPaths(text)) expect(existsSync(join(ROOT, p)), `${file} names ${p}`).toBe(true);
  });

  it('the Dockerfile copies only what exists, runs as a non-root user with data/ as a volume, on Node 20 Debian slim, Chromium only in the whatsapp target', () => {
    const text = read('Dockerfile');
    for (const m of text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of m[1]!.split(/\s+/)) expect(existsSync(join(ROOT, src)), `COPY ${src}`).toBe(true);
    }
    const stages = text.split(/^FROM /m).slice(1);
    expect(stages.every((s) => s.startsWith('node:20-bookworm-slim') || /^(runtime|build)\b/.test(s))).toBe(true);
    const whatsapp = stages.find((s) => / AS whatsapp/.test(s.split('\n')[0]!))!;
    expect(whatsapp).toMatch(/apt-get install .*chromium/);
    expect(stages.filter((s) => s !== whatsapp).join('')).not.toMatch(/chromium/);
    expect(text).toMatch(/^USER collabot$/m);
    expect(text).toMatch(/^VOLUME \["\/app\/data"\]$/m);
    expect(text).toMatch(/^CMD \["npm", "start"\]$/m);
    // `npm ci` runs the prepare script (tsc and the bundle): everything it reads is copied in before it.
    const beforeCi = text.slice(0, text.indexOf('RUN npm ci'));
    for (const need of ['tsconfig.build.json', 'src', 'adapters', 'commands', 'scripts']) expect(beforeCi, need).toMatch(new RegExp(`^COPY .*(?<![\\w.])${need}\\b`, 'm'));
  });

  it("the operator's scripts still run once the image drops the dev tools (npm prune --omit=dev): what runs them is a dependency", () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    for (const name of ['start', 'backup', 'restore', 'whatsapp', 'site', 'register-discord-commands', 'slack-manifest']) {
      const runner = pkg.scripts[name]!.split(' ')[0]!;
      if (runner !== 'node') expect(pkg.dependencies, `npm run ${name} needs ${runner}`).toHaveProperty(runner);
    }
  });

  it('the systemd unit runs as its own user, restarts always, and may write only the data folder', () => {
    const unit = read('deploy/collabot.service');
    expect(unit).toMatch(/^User=collabot$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    expect(unit).toMatch(/^ReadWritePaths=\/opt\/collabot\/data$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/npm start$/m);
  });

  it('.env.example lists every setting the configuration reads', async () => {
    const { configSchema } = await import('../../src/config.js');
    const example = read('.env.example');
    for (const key of Object.keys(configSchema.shape)) expect(example, key).toMatch(new RegExp(`^${key}=`, 'm'));
  });

  it('the README links every operations page', () => {
    const readme = read('README.md');
    for (const page of ['docs/operate/deploy.md', 'docs/operate/backups.md', 'docs/operate/scale.md', 'docs/guide/your-data.md']) expect(readme).toContain(`](${page})`);
    expect(Buffer.byteLength(readme)).toBeLessThan(10_000);
  });
});
