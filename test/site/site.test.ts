// The transparency site built from records typed through the chat: privacy,
// figures against the ledger, markup injection, the empty site, the live server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { formatMoney } from '../../src/grants/money.js';
import { silentLogger } from '../../src/logger.js';
import { buildSite } from '../../src/site/build.js';
import { startSiteServer } from '../../src/site/server.js';
import { openDatabase } from '../../src/storage/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { CHAT, EXPECTED_FUNDS, SCENARIO, SECRET } from './scenario.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TZ = 'Europe/London';

async function filled() {
  h = await createHarness({ admins: 'console:ana' });
  const out = await h.script(SCENARIO);
  const code = /Your link code is (\d+)/.exec(out.join('\n'))?.[1];
  expect(code).toBeDefined();
  const files = await buildSite(h.db, { now: h.clock.now(), tz: TZ });
  return { files, code: code!, all: [...files.values()].join('\n') };
}

describe('the transparency site', () => {
  it('shows nothing it must not: unpublished collabs, votes, notes, comments, unnamed authors, ids, link codes', async () => {
    const { all, code } = await filled();
    const forbidden = [
      SECRET.quietPoll, SECRET.quietStory, SECRET.quietNote, SECRET.publicNote, 'We may run short in March', 'Fay covers Tuesdays',
      SECRET.comment, CHAT.food, CHAT.quiet, code, 'console:', 'u:', 'c:chat',
    ];
    for (const text of forbidden) expect(all, text).not.toContain(text);
    // People who did not agree to be named, voters and requesters appear nowhere, not even as a word.
    for (const name of [SECRET.unnamedAuthor, SECRET.voter, SECRET.requester]) expect(all, name).not.toMatch(new RegExp(`\\b${name}\\b`));
    // What is public by nature still shows for the unpublished collab: its grant.
    expect(all).toContain('Shared office for three charities');
  });

  it('shows the funds as the ledger has them, every decided grant, decisions and named stories', async () => {
    const { files } = await filled();
    const home = files.get('index.html')!;
    for (const [fund, f] of Object.entries(EXPECTED_FUNDS)) {
      const card = new RegExp(`data-fund="${fund}">[\\s\\S]*?data-figure="budget">${escapeRe(formatMoney(f.budget))}<[\\s\\S]*?data-figure="reserved">${escapeRe(formatMoney(f.reserved))}<[\\s\\S]*?data-figure="paid">${escapeRe(formatMoney(f.paid))}<[\\s\\S]*?data-figure="remaining">${escapeRe(formatMoney(f.budget - f.reserved))}<`);
      expect(home).toMatch(card);
    }
    const funds = h!.services.grants.funds();
    expect(funds.map((f) => [f.category, f.budget, f.approved, f.paid])).toEqual(Object.entries(EXPECTED_FUNDS).map(([c, f]) => [c, f.budget, f.reserved, f.paid]));
    expect(home).toMatch(/<svg[^>]*>/);
    const grants = files.get('grants.html')!;
    expect(grants.match(/<tr id="grant-\d+"/g)).toHaveLength(3);
    expect(grants).toContain('Approved by 2 leads: lee, lou');
    expect(grants).toContain('Leads&#39; poll #4: Agree 3, Abstain 0, Disagree 0, Block 0');
    expect(grants).toContain('The fridge keeps forty families supplied every week');
    // Grants per outcome: #1 by its report (local need), #2 by its tag (economy), #3 not tagged.
    expect(grants).toMatch(/<th scope="row">4\. Responding to local need<\/th><td class="num">1<\/td><td class="num">£750\.00<\/td>/);
    expect(grants).toMatch(/<th scope="row">6\. Inclusive local social economy<\/th><td class="num">1<\/td><td class="num">£4,000\.00<\/td>/);
    expect(grants).toMatch(/<th scope="row">Not tagged yet<\/th><td class="num">1<\/td><td class="num">£12,000\.00<\/td>/);
    const decisions = files.get('decisions.html')!;
    expect(decisions).toContain('Which day for the food swap?');
    expect(decisions).toContain('The food swap runs on Saturdays from January.');
    expect(decisions).toContain('anonymous poll: counts only');
    // Anonymous polls keep no tallies (issue 15): their counts come from the ballots list.
    expect(decisions).toMatch(/Join the council food forum\?[\s\S]*?Yes[^0-9<]*(<[^>]*>\s*)*2\b/);
    expect(decisions).not.toContain('Approve grant request');
    const collabs = files.get('collabs.html')!;
    expect(collabs).toContain('Food banks and community larders working together on food access');
    expect(collabs).not.toContain('Quiet Circle');
    expect(collabs).toMatch(/Ten families now get fresh food every week<\/p><\/blockquote>\s*<p class="meta">— fay, Food Network/);
    expect(collabs).toMatch(/The council now plans the food bank with us<\/p><\/blockquote>\s*<p class="meta">— Food Network,/);
    const outcomes = files.get('outcomes.html')!;
    expect(outcomes).toContain('People are more involved in their community');
    expect(outcomes).toContain('Third sector organisations are better able to contribute to a strong and inclusive local social economy');
    // The collective total includes every collab; only publishing collabs get their own line.
    expect(outcomes).toMatch(/<th scope="row">November 2026<\/th><td class="num">190 people<\/td><td class="num">150 people<\/td>/);
    expect(files.get('delegates.html')).toMatch(/CPP board, 3 December[\s\S]*1 comment from the sector/);
    expect(files.get('feed.xml')).toContain('<title>Grant #3: £12,000.00 from Invest to Quiet Circle</title>');
    expect(files.get('grants.csv')).toContain('1,Discovery,Food Network,Community larder fridge,750.00,');
  });

  it('escapes markup in every kind of text people type', async () => {
    const x = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
    // Inside quoted words, the quote is typed as \" (as the tokenizer reads it).
    const q = x.replace(/"/g, '\\"');
    h = await createHarness({ admins: 'console:ana' });
    await h.script(`:as ana
:in evil
/collab create Evil ${x}
/collab about About ${x} and more words
/collab publish on
/role add @lee lead
/role add @lou lead
/delegate add @dee Body ${x}
/fund set discovery 5000
/poll "Question ${q}?" "Option ${q}" "Plain"
/vote 1 1
/poll close 1
/poll outcome 1 Outcome ${x}
/story Story text ${x} for everyone --outcome involved
/story show-name 1
/grant request discovery 500 Purpose ${x}
:as lee
/grant approve 1
:as lou
/grant approve 1
:as ana
/grant paid 1
/grant report 1 Report ${x} made a difference --outcome economy
:as lee
/measure define "M ${q}" --unit u${x.slice(0, 8)} --outcome 1 --description "Description ${q}"
:as ana
/measure add "M ${q}" 5 for september
/measure add "M ${q}" 7 for october
:as dee
/minutes "Meeting ${q}" Minutes ${x} text`);
    const rows = h.db.prepare("SELECT (SELECT COUNT(*) FROM polls) AS polls, (SELECT COUNT(*) FROM stories) AS stories, (SELECT COUNT(*) FROM grants WHERE state = 'reported') AS grants, (SELECT COUNT(*) FROM measure_values) AS figures, (SELECT COUNT(*) FROM minutes) AS minutes").get();
    expect(rows).toEqual({ polls: 1, stories: 2, grants: 1, figures: 2, minutes: 1 });
    const files = await buildSite(h.db, { now: h.clock.now(), tz: TZ });
    for (const [name, body] of files) {
      if (name.endsWith('.css') || name.endsWith('.csv')) continue;
      expect(body, name).not.toMatch(/<script|<img|<\/script/i);
      // No real tag (user text's < is always escaped) carries an event handler.
      // (Quoted attribute values are dropped first: user text in them is escaped, &quot; included.)
      expect(body.replace(/"[^"]*"/g, '""'), name).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    }
    // The text is there, shown as text.
    expect(files.get('decisions.html')).toContain('Question &lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;?');
    expect(files.get('feed.xml')).toContain('Purpose &lt;script&gt;');
  });

  it('builds from an empty database, every page saying what will appear there', async () => {
    const db = openDatabase(':memory:');
    const files = await buildSite(db, { now: Date.parse('2026-12-04T12:00:00Z'), tz: TZ });
    for (const page of ['index.html', 'grants.html', 'outcomes.html', 'decisions.html', 'delegates.html', 'collabs.html']) {
      expect(files.get(page), page).toMatch(/<p class="empty">[^<]*(will|appear|yet)/);
      expect(files.get(page), page).toContain('Built <time datetime="2026-12-04T12:00:00+00:00">4 December 2026 at 12:00</time>');
    }
    expect(files.get('index.html')).toContain('No fund has a budget yet.');
    expect(files.get('grants.html')).toContain('No grant has been approved yet.');
    expect(files.get('feed.xml')).toMatch(/^<\?xml[\s\S]*<\/feed>\n$/);
    db.close();
  });

  it('serves the same pages live, read-only, with /healthz', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'collabot-site-')), 'db.sqlite');
    const clock = new FakeClock();
    h = await createHarness({ admins: 'console:ana', db: openDatabase(path), clock });
    await h.script(SCENARIO);
    h.db.prepare("INSERT INTO outbox (platform, dest, body, next_at, created_at) VALUES ('console', 'c:x', '{}', 0, 0)").run();
    const web = await startSiteServer({
      dbPath: path, port: 0, clock, log: silentLogger, site: { tz: TZ },
      adapters: () => [{ platform: 'console', health: { connected: true, since: 5 } }, { platform: 'slack', health: null }],
    });
    try {
      const base = `http://127.0.0.1:${web.port}`;
      const built = await buildSite(h.db, { now: clock.now(), tz: TZ });
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await home.text()).toBe(built.get('index.html'));
      expect(await (await fetch(`${base}/grants.html`)).text()).toBe(built.get('grants.html'));
      expect((await fetch(`${base}/feed.xml`)).headers.get('content-type')).toContain('application/atom+xml');
      expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
      const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
      expect(post.status).toBe(405);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      const body = await health.json();
      expect(body.outbox.pending).toBe(1);
      expect(body.adapters).toEqual([
        { platform: 'console', connected: true, since: 5, detail: null },
        { platform: 'slack', connected: true, since: null, detail: null },
      ]);
      expect(JSON.stringify(body)).not.toContain('c:x');
    } finally {
      await web.close();
    }
  });
});

function escapeRe(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
