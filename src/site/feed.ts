// The Atom feed (feed.xml): new decisions, grants, minutes and stories, newest
// first, so a funder or a newsletter can follow the site.
import type { SiteData } from './data.js';
import { formatMoney } from '../grants/money.js';

interface Entry { id: string; title: string; updated: number; link: string; summary: string }

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters XML 1.0 does not allow, which people may still paste into a chat.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

export function atomFeed(data: SiteData, opts: { site: string; baseUrl?: string; limit?: number }): string {
  const entries: Entry[] = [];
  for (const d of data.decisions) {
    entries.push({ id: `poll-${d.id}`, title: `Decision: ${d.question}`, updated: d.closed_at, link: 'decisions.html', summary: `${d.collab_name}. ${d.outcome ?? d.summary}` });
  }
  for (const g of data.grants) {
    entries.push({
      id: `grant-${g.id}`,
      title: `Grant #${g.id}: ${formatMoney(g.amount)} from ${g.fund_name} to ${g.collab_name}`,
      updated: g.report_at ?? g.paid_at ?? g.decided_at ?? data.builtAt,
      link: `grants.html#grant-${g.id}`,
      summary: `${g.purpose}. ${g.decidedHow}.`,
    });
  }
  for (const m of data.minutes) {
    entries.push({ id: `minutes-${m.id}`, title: `Minutes: ${m.body}, ${m.meeting}`, updated: m.created_at, link: `delegates.html#minutes-${m.id}`, summary: `Posted by ${m.delegate_name}.` });
  }
  for (const s of data.stories) {
    entries.push({ id: `story-${s.id}`, title: `Story from ${s.collab_name}`, updated: s.created_at, link: 'collabs.html', summary: s.text });
  }
  entries.sort((a, b) => b.updated - a.updated || a.id.localeCompare(b.id));
  const shown = entries.slice(0, opts.limit ?? 50);
  const base = opts.baseUrl ? opts.baseUrl.replace(/\/?$/, '/') : '';
  const iso = (ms: number) => new Date(ms).toISOString();
  // Ids must stay the same forever; a tag URI needs no host name.
  const tag = (id: string) => `tag:collabot.invalid,2026:${id}`;
  const updated = shown[0]?.updated ?? data.builtAt;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom"${base ? ` xml:base="${xml(base)}"` : ''}>`,
    `  <title>${xml(opts.site)}</title>`,
    `  <subtitle>Decisions, grants, minutes and stories</subtitle>`,
    `  <id>${tag('site')}</id>`,
    `  <link rel="alternate" type="text/html" href="index.html"/>`,
    `  <link rel="self" type="application/atom+xml" href="feed.xml"/>`,
    `  <updated>${iso(updated)}</updated>`,
    `  <author><name>${xml(opts.site)}</name></author>`,
    ...shown.map((e) =>
      [
        '  <entry>',
        `    <id>${tag(e.id)}</id>`,
        `    <title>${xml(e.title)}</title>`,
        `    <updated>${iso(e.updated)}</updated>`,
        `    <link rel="alternate" type="text/html" href="${xml(e.link)}"/>`,
        `    <summary>${xml(e.summary)}</summary>`,
        '  </entry>',
      ].join('\n'),
    ),
    '</feed>',
    '',
  ].join('\n');
}
