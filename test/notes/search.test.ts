// Search at some scale: thousands of notes inserted through the repository's bulk
// path, checked against a brute-force scan, and the query plan that keeps search
// an index lookup rather than a scan (a robust stand-in for a timing test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import type { NewNote } from '../../src/notes/repo.js';
import { CollabsRepo } from '../../src/collabs/repo.js';
import { NotesRepo, SEARCH_RANKED } from '../../src/notes/repo.js';

// Words the porter stemmer leaves as they are, so a brute-force scan can check the results.
const VOCAB = 'hall van kitchen garden bus lunch rota club map tent food bank grant plan school shop market fund trust team'.split(' ');
const COLLABS = 60;
const PER_COLLAB = 50;

let h: Harness;
const bodies = new Map<number, { collab: number; words: Set<string> }>();
let few: number; // member of 3 collabs: narrowed inside the index
let many: number; // member of 50 collabs: the whole index, filtered afterwards

beforeAll(async () => {
  h = await createHarness();
  const { people } = h.services;
  const collabs = { repo: new CollabsRepo(h.db) };
  const notes = { repo: new NotesRepo(h.db) };
  const author = people.ensure('console', 'ana', 'ana');
  few = people.ensure('console', 'ben', 'ben');
  many = people.ensure('console', 'cara', 'cara');
  const ids: number[] = [];
  for (let c = 1; c <= COLLABS; c++) ids.push(collabs.repo.insertCollab(`Collab ${c}`, author, 0));
  ids.slice(0, 3).forEach((id) => collabs.repo.addMember(id, few, 0));
  ids.slice(0, 50).forEach((id) => collabs.repo.addMember(id, many, 0));

  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const rows: NewNote[] = [];
  for (let i = 0; i < COLLABS * PER_COLLAB; i++) {
    const collabId = ids[i % COLLABS]!;
    const words = Array.from({ length: 12 }, () => VOCAB[Math.floor(rand() * VOCAB.length)]!);
    rows.push({ collabId, chatId: null, title: `Meeting ${i}`, body: words.join(' '), authorId: author, createdAt: i });
  }
  const { first } = notes.repo.insertMany(rows);
  rows.forEach((r, k) => bodies.set(first + k, { collab: r.collabId, words: new Set(r.body.split(' ')) }));
});
afterAll(async () => h.close());

function bruteForce(person: number, words: string[]): number[] {
  const mine = new Set(h.services.collabs.collabIdsOf(person));
  return [...bodies].filter(([, n]) => mine.has(n.collab) && words.every((w) => n.words.has(w))).map(([id]) => id).sort((a, b) => a - b);
}

describe('search over thousands of notes', () => {
  it('finds exactly the matching notes of the asker’s collabs, narrowed in the index or filtered after', () => {
    for (const person of [few, many]) {
      for (const words of [['hall'], ['van', 'kitchen'], ['tent', 'map', 'bus']]) {
        const found = h.services.notes.search(person, words.join(' '), 10_000);
        expect(found.partial).toBe(false);
        expect(found.hits.map((x) => x.id).sort((a, b) => a - b)).toEqual(bruteForce(person, words));
      }
    }
    expect(bruteForce(few, ['hall']).length).toBeGreaterThan(10);
  });

  it('ranks by relevance: more of the word in a shorter note comes first', () => {
    const { notes, people } = h.services;
    const repo = new NotesRepo(h.db);
    const author = people.ensure('console', 'ana', 'ana');
    const collabId = h.services.collabs.collabIdsOf(few)[0]!;
    const weak = repo.insertNote({ collabId, chatId: null, title: 'Weak', body: 'zebra ' + 'lunch '.repeat(40), authorId: author, createdAt: 0 });
    const strong = repo.insertNote({ collabId, chatId: null, title: 'Zebra crossing', body: 'zebra zebra', authorId: author, createdAt: 0 });
    expect(notes.search(few, 'zebra').hits.map((x) => x.id)).toEqual([strong, weak]);
  });

  it('ranks only the newest matches of a common word, and every match of a rarer one', () => {
    const { notes, people } = h.services;
    const author = people.ensure('console', 'ana', 'ana');
    const collabId = h.services.collabs.collabIdsOf(few)[0]!;
    // A strong old match, then more weak new ones than a search ranks.
    const repo = new NotesRepo(h.db);
    const old = repo.insertNote({ collabId, chatId: null, title: 'Quokka', body: 'quokka quokka', authorId: author, createdAt: 0 });
    const weak = Array.from({ length: SEARCH_RANKED + 20 }, (_, i) =>
      repo.insertNote({ collabId, chatId: null, title: `Weak ${i}`, body: 'quokka ' + 'lunch '.repeat(30), authorId: author, createdAt: 0 }),
    );
    const newest = new Set(weak.slice(-SEARCH_RANKED));
    const hits = notes.search(few, 'quokka').hits.map((x) => x.id);
    expect(hits).toHaveLength(8);
    expect(hits.every((id) => newest.has(id))).toBe(true);
    // Asked for more than that, it ranks them all: the strong old one comes first.
    expect(notes.search(few, 'quokka', 1000).hits[0]!.id).toBe(old);
  });

  it('is an index lookup read in rank order: no scan of the notes, no sorting afterwards', () => {
    const plan = (h.db.prepare('EXPLAIN QUERY PLAN ' + new NotesRepo(h.db).searchSql).all('("hall")', 0, '[1]', 8) as { detail: string }[]).map((r) => r.detail);
    expect(plan[0]).toMatch(/^SCAN notes_fts VIRTUAL TABLE INDEX /);
    expect(plan).toContain('SEARCH n USING INTEGER PRIMARY KEY (rowid=?)');
    expect(plan.some((d) => /TEMP B-TREE/.test(d))).toBe(false);
    expect(plan.some((d) => /^SCAN (n|notes)\b/.test(d))).toBe(false);
  });
});
