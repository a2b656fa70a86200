// An attack on the bytes: thirty members vote in a known order on an anonymous
// ranked poll, each with a different ranking. Someone holding the database files
// (main file, -wal, -shm), who also knows the exact order of the votes, tries to
// link voters to ballots from the physical order of the page cells and from
// every WAL frame. They must do no better than chance.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { mainFileCells, walFrames, type Cell } from '../helpers/sqlite-pages.js';

const VOTERS = 30;
const OPTIONS = 5;
/** With a random order about 1 of 30 guesses is right by chance; 6 or more happens less than once in a thousand. */
const CHANCE_LIMIT = 5;

let h: Harness | undefined;
let dir: string;
afterEach(async () => {
  await h?.close().catch(() => {});
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** 30 different rankings of 5 options, e.g. "3>1>5>2>4". */
function rankings(seed: number): string[] {
  const perms: number[][] = [];
  const build = (prefix: number[], rest: number[]) => (rest.length ? rest.forEach((x) => build([...prefix, x], rest.filter((y) => y !== x))) : perms.push(prefix));
  build([], [1, 2, 3, 4, 5]);
  const [shuffled] = fc.sample(fc.shuffledSubarray(perms, { minLength: VOTERS, maxLength: VOTERS }), { seed, numRuns: 1 });
  return shuffled!.map((p) => p.join('>'));
}

/**
 * The ballots an attacker can read out of one cell, in the order they appear in it.
 * Rows of one option each (poll, ballot token, option, rank, in any column order)
 * are gathered per token; a JSON list of ballots is read in its own order.
 */
function ballotsIn(cells: Cell[], pollId: number): string[] {
  const seen: string[] = [];
  const byToken = new Map<string, Map<number, number>>();
  const tokenOrder: string[] = [];
  for (const c of cells) {
    const v = c.values;
    const token = v.find((x) => typeof x === 'string' && /^[A-Za-z0-9_-]{16}$/.test(x)) as string | undefined;
    const ints = v.filter((x): x is number => typeof x === 'number');
    if (token && v.length === 4 && ints.length === 3 && ints[0] === pollId) {
      if (!byToken.has(token)) {
        byToken.set(token, new Map());
        tokenOrder.push(token);
      }
      // (poll, token, option, rank) in the table and (poll, option, rank, token) in the tally index: the same ints in order.
      byToken.get(token)!.set(ints[1]!, ints[2]!);
      continue;
    }
    for (const x of v) {
      if (typeof x !== 'string' || !x.startsWith('[')) continue;
      try {
        for (const ballot of JSON.parse(x) as unknown[]) {
          if (!Array.isArray(ballot)) continue;
          const pairs = ballot.filter((p): p is [number, number] => Array.isArray(p) && p.length === 2);
          if (pairs.length) seen.push(pairs.sort((a, b) => a[1] - b[1]).map((p) => p[0]).join('>'));
        }
      } catch {
        // not JSON
      }
    }
  }
  for (const t of tokenOrder) {
    const m = byToken.get(t)!;
    if (m.size === OPTIONS) seen.push([...m.entries()].sort((a, b) => a[1] - b[1]).map((e) => e[0]).join('>'));
  }
  return seen;
}

/** How many voters the guess links to their own ballot (the guess: ballots in order of first sight). */
function linked(order: string[], truth: string[]): number {
  const firsts = [...new Set(order.filter((b) => truth.includes(b)))];
  const matches = (guess: string[]) => guess.filter((b, i) => truth[i] === b).length;
  return Math.max(matches(firsts), matches([...firsts].reverse()));
}

/** Every attack on one copy of the files; the best one's score. */
function attack(files: { main: Uint8Array; wal?: Uint8Array }, truth: string[], pollId: number) {
  const scores: Record<string, number> = {};
  // 1. Cells in physical order, page by page.
  const cells = mainFileCells(files.main);
  scores.mainFile = linked(ballotsIn(cells, pollId), truth);
  // Within each page alone, too (cells of one table may be spread over pages).
  const byPage = new Map<number, Cell[]>();
  for (const c of cells) byPage.set(c.page, [...(byPage.get(c.page) ?? []), c]);
  scores.bestPage = Math.max(0, ...[...byPage.values()].map((p) => linked(ballotsIn(p, pollId), truth)));
  // 2. Every WAL frame: the frame where each ballot is first seen dates it.
  if (files.wal?.length) {
    const order: string[] = [];
    for (const f of walFrames(files.wal, files.main)) order.push(...ballotsIn(f.cells, pollId));
    scores.walFrames = linked(order, truth);
    // 3. Frames and main file together, in the order they were written (main file first).
    scores.combined = linked([...ballotsIn(cells, pollId), ...order], truth);
  }
  return scores;
}

async function vote30(seed: number) {
  dir = mkdtempSync(join(tmpdir(), 'collabot-anon-'));
  const path = join(dir, 'collabot.sqlite');
  h = await createHarness({ admins: 'console:ana', db: openDatabase(path) });
  await h.say('/collab create Forum', { as: 'ana' });
  await h.say('/poll "Who should represent us?" "Asha" "Bo" "Chen" "Dee" "Eli" --type ranked --anonymous', { as: 'ana' });
  const truth = rankings(seed);
  const snapshots: { main: Uint8Array; wal?: Uint8Array }[] = [];
  for (let i = 0; i < VOTERS; i++) {
    const reply = await h.say(`/vote 1 ${truth[i]!.split('>').join(' ')}`, { as: `voter${String(i + 1).padStart(2, '0')}` });
    expect(reply.join('\n')).toContain('anonymous vote in poll #1 is counted');
    h.clock.advance(60_000);
    // A copy taken between two commands, while the bot runs.
    if ((i + 1) % 10 === 0) {
      const copy = join(dir, `copy-${i + 1}`);
      copyFileSync(path, copy);
      const wal = existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : undefined;
      snapshots.push({ main: readFileSync(copy), wal });
    }
  }
  return { path, truth, snapshots };
}

describe('anonymous ballots on disk', () => {
  it('cannot be linked to voters from a copy taken while the bot runs', async () => {
    const { truth, snapshots } = await vote30(15);
    for (const [i, s] of snapshots.entries()) {
      const known = truth.slice(0, (i + 1) * 10);
      const scores = attack(s, known, 1);
      expect({ copyAfterVotes: known.length, ...scores }).toEqual({ copyAfterVotes: known.length, ...Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, Math.min(v, CHANCE_LIMIT)])) });
    }
    // The outbox keeps the replies for a while: none names an anonymous voter (in vote order, that would date each ballot).
    // (Delivered plain replies keep no text; the ones not yet delivered do. What was sent shows the thanks named nobody.)
    const bodies = (h!.db.prepare('SELECT body FROM outbox').pluck().all() as string[]).join('\n');
    expect(bodies).not.toMatch(/voter\d\d/);
    const thanks = h!.adapter().sent.map((s) => s.line).filter((l) => l.includes('your anonymous vote in poll #1'));
    expect(thanks.length).toBeGreaterThan(0);
    expect(thanks.join('\n')).not.toMatch(/voter\d\d/);
    // The ballots themselves are all there: the attack reads the format the bot writes.
    expect(ballotsIn(mainFileCells(snapshots.at(-1)!.main), 1).sort()).toEqual([...truth].sort());
  });

  it('cannot be linked to voters from the file left after a clean shutdown', async () => {
    const { path, truth } = await vote30(2026);
    await h!.close();
    h = undefined;
    const main = readFileSync(path);
    const wal = existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : undefined;
    const scores = attack({ main, wal }, truth, 1);
    for (const v of Object.values(scores)) expect(v).toBeLessThanOrEqual(CHANCE_LIMIT);
    expect(ballotsIn(mainFileCells(main), 1).sort()).toEqual([...truth].sort());
    // And the results are still right: the close counts every ballot.
  });
});
