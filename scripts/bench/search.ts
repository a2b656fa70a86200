// search_100k: p95 of /notes search (FTS5, through the notes service) over
// 100,000 generated meeting notes (20,000 in a quick run, named so) in 40
// collabs, for someone in 3 of them; baseline: the same queries as LIKE scans
// over the same notes, giving the same kind of answer (notes with every word,
// else with any word; 8 at most). search_100k_command: the same searches typed
// into the bot (parser, registry, the durable commit of the reply) as well.
import type { Statement } from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/logger.js';
import type { InboundEvent } from '../../src/model.js';
import { searchWords } from '../../src/notes/fts-query.js';
import { SEARCH_RANKED, type NewNote } from '../../src/notes/repo.js';
import { openDatabase } from '../../src/storage/db.js';
import { nowMs, percentile, result, seeded, zipf, type Bench } from './lib.js';
import { NotesRepo } from '../../src/notes/repo.js';

const COLLABS = 40;
const MEMBER_OF = 3;
const VOCABULARY = 3000;
/** The most frequent words work like "the" and "and": nobody searches for them. */
const NOT_SEARCHED = 20;
const LIMIT = 8;

// Common words first (Zipf puts them at the top), then the sector's own words;
// made-up words fill the rest of the vocabulary.
const COMMON = `the and to of a in for we is on that with will be it at our this are as from
have by all they can an not more was about who out up their need next has would there what if
one new also so people group meeting agreed`.split(/\s+/);
const SECTOR = `volunteers volunteer funding grant grants budget food bank pantry community hall youth club
elders carers health mental wellbeing housing homeless shelter refugees asylum advice debt benefits
energy warm space winter summer holiday hunger school schools library transport minibus bus rural
village town council partnership board delegate delegates minutes facilitator lead leads collab
training safeguarding policy insurance accounts treasurer chair secretary trustees charity charities
social enterprise coop garden allotment repair cafe recycling climate green nature park walk
disability access accessible wheelchair deaf blind language translation interpreter families children
parents toddlers nursery literacy digital laptops internet skills jobs employment apprenticeship
mentoring loneliness isolation friendship lunch dinner kitchen cooking surplus supermarket donations
donors fundraising raffle appeal match evaluation impact outcomes story stories survey feedback
consultation equity inclusion diversity racism women men lgbtq faith church mosque temple
gurdwara neighbourhood estate tenants landlord rent eviction crisis emergency referral referrals
nhs gp pharmacy dentist hospital discharge befriending phone calls visits rota shifts weekend
evening morning monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december quarter annual report plan
strategy review risk minutes agenda action actions deadline timeline venue booking keys cleaning`.split(/\s+/);

function vocabulary(random: () => number): string[] {
  const syllables = ['ba', 'ker', 'lo', 'mi', 'sto', 'ran', 'del', 'vi', 'tor', 'pen', 'ga', 'shu', 'ne', 'fol', 'qui', 'har', 'bre', 'dun', 'ley', 'mor'];
  const words = [...new Set([...COMMON, ...SECTOR])];
  const seen = new Set(words);
  while (words.length < VOCABULARY) {
    let w = '';
    for (let k = 2 + Math.floor(random() * 2); k > 0; k--) w += syllables[Math.floor(random() * syllables.length)];
    if (!seen.has(w)) seen.add(w), words.push(w);
  }
  return words;
}

export const search: Bench = async ({ quick }) => {
  const n = quick ? 20_000 : 100_000;
  const queries = quick ? 100 : 300;
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'bench-search-')), 's.sqlite'));
  const bot = new Bot({ db, config: loadConfig({}), clock: systemClock, log: silentLogger, commands: allCommands });
  const { people, collabs, notes } = bot.services;
  const random = seeded(4);
  const words = vocabulary(random);
  const word = zipf(words.length, random, 1);
  const text = (count: number) => Array.from({ length: count }, () => words[word()]).join(' ');

  const authors = Array.from({ length: 200 }, (_, i) => people.ensure('console', `a${i}`, `Author ${i}`));
  const collabIds = Array.from({ length: COLLABS }, (_, i) => collabs.create(`Collab ${i}`, collabs.ensureChat('console', `c${i}`, `c${i}`, false), authors[0]!).id);
  const asker = people.ensure('console', 'asker', 'Asker');
  let seq = 0;
  // On the console (the host's own terminal), so the per-person limit of 20 commands a minute does not apply.
  const typed = (text: string): InboundEvent => ({
    kind: 'message',
    platform: 'console',
    eventId: `s${++seq}`,
    messageId: `s${seq}`,
    chat: { id: 'c0', name: 'c0', isDirect: false },
    author: { id: 'asker', displayName: 'Asker', isBot: false },
    text,
    time: new Date(),
  });
  for (const c of collabIds.slice(0, MEMBER_OF)) collabs.noteMember(c, asker);
  const start = Date.now() - n * 3600_000;
  function* generated(): Generator<NewNote> {
    for (let i = 0; i < n; i++) {
      yield {
        collabId: collabIds[Math.floor(random() * COLLABS)]!,
        chatId: null,
        title: text(3 + Math.floor(random() * 6)),
        // Meeting notes of 40 to 200 words.
        body: text(40 + Math.floor(random() * 160)),
        authorId: authors[Math.floor(random() * authors.length)]!,
        createdAt: start + i * 3600_000,
      };
    }
  }
  const t0 = nowMs();
  new NotesRepo(db).insertMany(generated());
  const loadS = (nowMs() - t0) / 1000;

  // Queries of 1 to 3 words people might look for (any word but the most frequent).
  const qs = Array.from({ length: queries }, () => {
    const k = random() < 0.5 ? 1 : random() < 0.7 ? 2 : 3;
    return Array.from({ length: k }, () => words[NOT_SEARCHED + Math.floor(random() * (words.length - NOT_SEARCHED))]).join(' ');
  });

  // The LIKE baseline: notes of the asker's collabs containing every word (else any), newest first.
  const scope = JSON.stringify(collabs.collabIdsOf(asker));
  const like = new Map<string, Statement<unknown[]>>();
  const likeStatement = (k: number, op: 'AND' | 'OR') => {
    const key = `${k}${op}`;
    if (!like.has(key)) {
      const where = Array.from({ length: k }, () => '(n.title LIKE ? OR n.body LIKE ?)').join(` ${op} `);
      like.set(
        key,
        db.prepare(
          `SELECT n.id, n.collab_id, c.name AS collab_name, n.title, n.created_at, a.display_name AS author_name, substr(n.body, 1, 100) AS body_snippet
           FROM notes n JOIN collabs c ON c.id = n.collab_id JOIN people a ON a.id = n.author_id
           WHERE n.collab_id IN (SELECT value FROM json_each(?)) AND (${where})
           ORDER BY n.id DESC LIMIT ?`,
        ),
      );
    }
    return like.get(key)!;
  };
  const likeSearch = (q: string) => {
    const ws = searchWords(q);
    const params = ws.flatMap((w) => [`%${w}%`, `%${w}%`]);
    const hits = likeStatement(ws.length, 'AND').all(scope, ...params, LIMIT);
    if (hits.length || ws.length === 1) return hits;
    return likeStatement(ws.length, 'OR').all(scope, ...params, LIMIT);
  };
  const ftsSearch = (q: string) => notes.search(asker, q, LIMIT).hits;
  const commandSearch = (q: string) => {
    if (bot.process(typed(`/notes search ${q}`)) !== 'handled') throw new Error(`/notes search ${q} was not handled`);
  };

  // Warm up both, then alternate so both see the same machine state.
  for (const q of qs.slice(0, 10)) ftsSearch(q), likeSearch(q);
  commandSearch(qs[0]!);
  const fts: number[] = [];
  const base: number[] = [];
  const command: number[] = [];
  let found = 0;
  for (const q of qs) {
    let t = nowMs();
    found += ftsSearch(q).length ? 1 : 0;
    fts.push(nowMs() - t);
    t = nowMs();
    likeSearch(q);
    base.push(nowMs() - t);
    t = nowMs();
    commandSearch(q);
    command.push(nowMs() - t);
  }
  fts.sort((a, b) => a - b);
  base.sort((a, b) => a - b);
  command.sort((a, b) => a - b);
  db.close();
  const p95 = percentile(fts, 95);
  const baseP95 = percentile(base, 95);
  const size = `${n / 1000}k`;
  const setting = `${queries} searches of 1-3 words over ${n} notes (${COLLABS} collabs, the asker in ${MEMBER_OF}; Zipf over ${words.length} words; loaded in ${loadS.toFixed(1)} s), ${found} with hits`;
  return [
    result({
      bench: `search_${size}`,
      value: p95,
      unit: 'ms p95',
      baseline: baseP95,
      goal: 'ratio <= 0.05 (20x faster)',
      met: p95 <= baseP95 * 0.05,
      limits: `each search still ranks (bm25) up to ${SEARCH_RANKED} matching notes and makes snippets for the ones shown, while the LIKE scan stops at the 8 newest matches`,
      note: `${setting}; p50 ${percentile(fts, 50).toFixed(2)} ms vs ${percentile(base, 50).toFixed(2)} ms; best match first among the newest ${SEARCH_RANKED} matches in the asker's collabs; baseline: the same searches as LIKE scans`,
    }),
    result({
      bench: `search_${size}_command`,
      value: percentile(command, 95),
      unit: 'ms p95',
      baseline: baseP95,
      note: `the same searches typed into the bot as /notes search (parser, registry, search, the reply's durable commit on a file database); p50 ${percentile(command, 50).toFixed(2)} ms; baseline: the LIKE scans`,
    }),
  ];
};
