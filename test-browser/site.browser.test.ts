// The transparency site in a real browser: built with `npm run site` from a
// database filled through the console bot, then every page opened in headless
// Chromium (puppeteer-core, CHROMIUM_PATH) and checked for figures, charts,
// privacy, console errors, failed requests, phone width and accessibility.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../src/grants/money.js';
import { PAGES } from '../src/site/build.js';
import { ROOT, runConsole } from '../test/helpers/console-process.js';
import { CHAT, SCENARIO, SECRET } from '../test/site/scenario.js';

// axe-core is injected into each page; preload off, since a file:// page cannot fetch its own CSS by XHR.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = join(ROOT, 'data', 'site-screenshots');
const work = mkdtempSync(join(tmpdir(), 'collabot-browser-'));
const dbPath = join(work, 'collabot.sqlite');
const out = join(work, 'site');
let browser: Browser;
interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}
let linkCode: string;
let ledger: Map<string, { budget: number; approved: number; paid: number }>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  const run = await runConsole(SCENARIO, { COLLABOT_ADMINS: 'console:ana', COLLABOT_DB: dbPath }, ['--console'], 90_000);
  expect(run.code, run.stderr).toBe(0);
  linkCode = /Your link code is (\d+)/.exec(run.stdout)![1]!;
  const site = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/site.ts', '--out', out, '--db', dbPath], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COLLABOT_TZ: 'Europe/London' },
    encoding: 'utf8',
  });
  expect(site.status, site.stderr).toBe(0);
  const db = new Database(dbPath, { readonly: true });
  ledger = new Map(
    (db.prepare('SELECT category, SUM(budget_change) AS budget, SUM(approved_change) AS approved, SUM(paid_change) AS paid FROM grant_ledger GROUP BY category').all() as {
      category: string; budget: number; approved: number; paid: number;
    }[]).map((r) => [r.category, r]),
  );
  db.close();
  mkdirSync(SHOTS, { recursive: true });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), 'collabot-chromium-')),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Open a page at phone width, recording console errors, page errors, failed requests and dialogs. */
async function open(file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 360, height: 740 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pathToFileURL(join(out, file)).href, { waitUntil: 'load' });
  return { page, problems };
}

/** Bars or points drawn in the chart of a section (by the section's heading id). */
function marks(page: Page, headingId: string, kind: 'rect' | 'symbol') {
  return page.evaluate(
    (id, k) => {
      const section = document.getElementById(id)!.closest('section, .measure') as HTMLElement;
      const svgs = [...section.querySelectorAll('figure.chart svg')];
      return svgs.map((svg) => svg.querySelectorAll(`g.mark-${k}.role-mark path`).length);
    },
    headingId,
    kind,
  );
}

describe('the transparency site in Chromium', () => {
  for (const p of PAGES) {
    it(`${p.file}: no errors, no failed requests, no horizontal scroll at 360 px, no serious accessibility problem, nothing private`, async () => {
      const { page, problems } = await open(p.file);
      try {
        const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
        expect(width.scroll, `${p.file} is wider than the phone`).toBeLessThanOrEqual(width.view);
        await page.addScriptTag({ content: AXE });
        const axe = await page.evaluate(() => (window as unknown as { axe: { run(o: object): Promise<AxeResults> } }).axe.run({ preload: false }));
        const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`)).toEqual([]);
        const html = await page.content();
        const text = await page.evaluate(() => document.body.innerText);
        for (const secret of [SECRET.quietPoll, SECRET.quietStory, SECRET.comment, SECRET.quietNote, CHAT.food, CHAT.quiet, linkCode]) {
          expect(html, secret).not.toContain(secret);
        }
        expect(text).not.toMatch(new RegExp(`\\b(${SECRET.voter}|${SECRET.unnamedAuthor})\\b`));
        await page.screenshot({ path: join(SHOTS, p.file.replace('.html', '.png')), fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it("home: each fund's figures equal the ledger, and the charts have a bar for each number", async () => {
    const { page } = await open('index.html');
    const cards = await page.$$eval('[data-fund]', (els) =>
      els.map((el) => ({
        fund: el.getAttribute('data-fund')!,
        ...Object.fromEntries([...el.querySelectorAll('[data-figure]')].map((d) => [d.getAttribute('data-figure'), d.textContent!.trim()])),
      })),
    );
    expect(cards).toHaveLength(3);
    for (const c of cards) {
      const l = ledger.get(c.fund)!;
      expect(c).toEqual({ fund: c.fund, budget: formatMoney(l.budget), reserved: formatMoney(l.approved), paid: formatMoney(l.paid), remaining: formatMoney(l.budget - l.approved) });
    }
    expect(await marks(page, 'funds', 'rect')).toEqual([12]);
    expect(await marks(page, 'per-outcome', 'rect')).toEqual([7]);
    await page.setViewport({ width: 1000, height: 900 });
    await page.screenshot({ path: join(SHOTS, 'index-desktop.png') });
    await page.close();
  });

  it('grants: the rows add up to the ledger per fund, the CSV matches, and the chart has one bar per fund', async () => {
    const { page } = await open('grants.html');
    const rows = await page.$$eval('tr[data-fund]', (els) => els.map((el) => ({ fund: el.getAttribute('data-fund')!, amount: Number(el.getAttribute('data-amount')) })));
    for (const [fund, l] of ledger) expect(rows.filter((r) => r.fund === fund).reduce((s, r) => s + r.amount, 0), fund).toBe(l.approved);
    // Per fund (3 bars), then per outcome (6 outcomes and "not reported yet").
    expect(await marks(page, 'totals', 'rect')).toEqual([3, 7]);
    const totals = await page.$$eval('#totals + figure.chart + .table-wrap tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent!.trim())));
    expect(totals).toHaveLength(3);
    for (const [name, , total] of totals) {
      const l = [...ledger.entries()].find(([c]) => c === name!.toLowerCase())![1];
      expect(total).toBe(formatMoney(l.approved));
    }
    const csv = readFileSync(join(out, 'grants.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(rows.length + 1);
    await page.close();
  });

  it('outcomes: each measure is a line chart with a point per period and series', async () => {
    const { page } = await open('outcomes.html');
    // People supported: three months × (collective total + Food Network); Quiet Circle does not publish.
    expect(await marks(page, 'h-involved', 'symbol')).toEqual([6]);
    expect(await marks(page, 'h-collaboration', 'symbol')).toEqual([2]);
    const titles = await page.$$eval('#involved svg', (svgs) => svgs.map((s) => s.textContent));
    expect(titles[0]).toContain('People supported (people)');
    expect(titles[0]).toContain('Month');
    await page.close();
  });
});
