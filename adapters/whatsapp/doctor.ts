// `npm run whatsapp -- doctor`: checks what WhatsApp needs on this machine,
// without logging in or sending anything, and gives each problem its fix in
// one line: Chromium found and running, the session folder readable and owned
// by the bot's user, the cached WhatsApp Web page against the pinned version,
// and (when online) whether the pinned version can be fetched.
import { execFile } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Config } from '../../src/config.js';
import { authFolder, sessionFolder, webVersionOf } from './index.js';
import { versionCacheFolder } from './real-client.js';

export interface Finding {
  /** `ok` fine, `note` worth knowing, `problem` needs fixing. */
  status: 'ok' | 'note' | 'problem';
  text: string;
  /** What to do, in one line (problems always have one). */
  fix?: string;
}

export interface DoctorDeps {
  /** The user id Collabot runs as (default: this process's). */
  uid?: number;
  fetch?: typeof fetch;
  /** How long Chromium and the version fetch may take. */
  timeoutMs?: number;
}

export async function runDoctor(config: Config, deps: DoctorDeps = {}): Promise<Finding[]> {
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const findings: Finding[] = [];
  if (!config.WHATSAPP_ENABLED) findings.push({ status: 'note', text: 'WHATSAPP_ENABLED is not true, so `npm start` leaves WhatsApp off.', fix: 'Set WHATSAPP_ENABLED=true in .env.' });
  findings.push(await checkChromium(config.CHROMIUM_PATH, timeoutMs));
  const dataDir = sessionFolder(config);
  findings.push(await checkSession(authFolder(dataDir), dataDir, deps.uid ?? process.getuid?.()));
  let pin: ReturnType<typeof webVersionOf>;
  try {
    pin = webVersionOf(config);
  } catch (err) {
    findings.push({ status: 'problem', text: (err as Error).message.replace(/: set .*$/, '.'), fix: 'Set WHATSAPP_WEB_VERSION too, e.g. WHATSAPP_WEB_VERSION=2.3000.1017054665, or remove WHATSAPP_WEB_VERSION_URL.' });
  }
  findings.push(await checkCache(versionCacheFolder(dataDir), pin?.version));
  if (pin) findings.push(await checkFetch(pin.version, pin.url, deps.fetch ?? fetch, timeoutMs));
  return findings;
}

/** The findings as the terminal shows them, with a last line saying what it adds up to. */
export function renderFindings(findings: Finding[]): string {
  const mark = { ok: '✓', note: '•', problem: '✗' };
  const lines = ['Collabot WhatsApp doctor (nothing is sent, nobody is logged in)'];
  for (const f of findings) {
    lines.push(`${mark[f.status]} ${f.text}`);
    if (f.fix) lines.push(`  Fix: ${f.fix}`);
  }
  const problems = findings.filter((f) => f.status === 'problem').length;
  lines.push(problems ? `${problems} problem${problems === 1 ? '' : 's'} to fix; then run npm run whatsapp -- doctor again.` : 'No problems found.');
  return lines.join('\n') + '\n';
}

async function checkChromium(path: string, timeoutMs: number): Promise<Finding> {
  if (!existsSync(path)) {
    return {
      status: 'problem',
      text: `Chromium: there is none at ${path}.`,
      fix: "Install it from your distribution's packages (Debian or Ubuntu: sudo apt-get install chromium), or set CHROMIUM_PATH to where it is.",
    };
  }
  const run = await new Promise<{ ok: boolean; out: string }>((resolve) => {
    execFile(path, ['--version'], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ ok: !err, out: (err ? stderr || err.message : stdout).trim().split('\n')[0] ?? '' });
    });
  });
  if (!run.ok) {
    return {
      status: 'problem',
      text: `Chromium: ${path} is there but does not run (${run.out || 'no output'}).`,
      fix: 'Reinstall it (sudo apt-get install --reinstall chromium), or set CHROMIUM_PATH to a Chromium that runs.',
    };
  }
  return { status: 'ok', text: `Chromium: ${path} runs (${run.out}).` };
}

async function checkSession(folder: string, dataDir: string, uid: number | undefined): Promise<Finding> {
  const me = userName(uid);
  if (!existsSync(folder)) {
    const writable = await access(existsSync(dataDir) ? dataDir : '.', constants.W_OK).then(() => true, () => false);
    if (!writable) return { status: 'problem', text: `Session folder: ${dataDir} cannot be written by ${me}, so no login can be saved.`, fix: `sudo chown -R ${me} ${dataDir}` };
    return { status: 'note', text: `Session folder: no saved login yet (${folder}); the first start shows a login code.` };
  }
  const info = await stat(folder);
  if (uid !== undefined && info.uid !== uid) {
    return {
      status: 'problem',
      text: `Session folder: ${folder} belongs to ${userName(info.uid)}, but Collabot runs as ${me}, so WhatsApp cannot reuse or update the login.`,
      fix: `sudo chown -R ${me} ${folder}`,
    };
  }
  for (const path of [folder, ...(await readdir(folder).catch(() => [])).map((n) => `${folder}/${n}`)]) {
    const ok = await access(path, constants.R_OK | constants.W_OK).then(() => true, () => false);
    if (!ok) return { status: 'problem', text: `Session folder: ${path} cannot be read or written by ${me}.`, fix: `chmod -R u+rwX ${folder}` };
  }
  return { status: 'ok', text: `Session folder: ${folder} is readable and owned by ${me}.` };
}

async function checkCache(folder: string, pin: string | undefined): Promise<Finding> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const cached = names.filter((n) => n.endsWith('.html')).map((n) => n.slice(0, -'.html'.length));
  const list = cached.join(', ');
  if (!pin) {
    if (!cached.length) return { status: 'ok', text: 'WhatsApp Web version: none cached yet and none pinned; the page WhatsApp serves is used (and cached).' };
    return { status: 'ok', text: `WhatsApp Web version: ${list} cached; none pinned (WHATSAPP_WEB_VERSION), so the cached or current page is used.` };
  }
  if (!cached.length || cached.includes(pin)) return { status: 'ok', text: `WhatsApp Web version: pinned to ${pin}${cached.length ? ', the same as the cached page' : ''}.` };
  return {
    status: 'note',
    text: `WhatsApp Web version: pinned to ${pin}, but the cached page is ${list}. The pin wins; the cache is not used while a version is pinned.`,
    fix: `Nothing needed; to tidy up, delete ${folder}/*.html while Collabot is stopped.`,
  };
}

async function checkFetch(version: string, template: string, fetcher: typeof fetch, timeoutMs: number): Promise<Finding> {
  const url = template.replace('{version}', version);
  try {
    const res = await fetcher(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = res.ok ? await res.text() : '';
    if (res.ok && /<html/i.test(body)) return { status: 'ok', text: `Pinned version ${version} can be fetched from ${url}.` };
    return {
      status: 'problem',
      text: `Pinned version ${version} cannot be fetched from ${url} (${res.ok ? 'not a WhatsApp Web page' : `HTTP ${res.status}`}); WhatsApp would fall back to its current page.`,
      fix: 'Check WHATSAPP_WEB_VERSION against the versions listed where WHATSAPP_WEB_VERSION_URL points (docs/operate/whatsapp.md says how to find one).',
    };
  } catch (err) {
    const why = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    return {
      status: 'note',
      text: `Pinned version ${version}: could not reach ${new URL(url).host} to check it (${why}). Offline?`,
      fix: 'Run the doctor again when this machine is online.',
    };
  }
}

function userName(uid: number | undefined): string {
  if (uid === undefined) return 'this user';
  try {
    if (uid === process.getuid?.()) return userInfo().username;
  } catch {
    // no name for this uid: fall through
  }
  return uid === 0 ? 'root' : `user ${uid}`;
}
