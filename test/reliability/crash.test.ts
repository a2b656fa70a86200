// Crash safety: the real bot as a child process on a file database, killed with
// SIGKILL at a random moment while votes, grant approvals and role grants
// stream in, then restarted. Every change whose reply was printed is in the
// database; nothing is applied twice.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDb } from '../helpers/console-process.js';
import { seeded, shuffle } from '../helpers/fake-platform.js';
import { expectConsistent } from './invariants.js';
import { size } from './size.js';

interface Run {
  stdout: string;
  killed: boolean;
}

/** When to kill: `delayMs` after the bot has printed `afterReplies` replies in the chat. */
interface KillPoint {
  afterReplies: number;
  delayMs: number;
}

/** Feed lines a few at a time; SIGKILL at the kill point (or let the bot finish). */
function runBot(db: string, lines: string[], kill?: KillPoint): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--console'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', COLLABOT_DB: db, COLLABOT_ADMINS: 'console:ana', COLLABOT_LOG_LEVEL: 'error' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (kill && !timer && (stdout.match(/^\[main\] /gm)?.length ?? 0) >= kill.afterReplies) {
        timer = setTimeout(() => {
          // Only a kill of a running bot counts (it may already have finished).
          if (child.exitCode !== null) return;
          killed = true;
          child.kill('SIGKILL');
        }, kill.delayMs);
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, killed });
    });
    // Trickle the input so the kill lands mid-stream, not after everything.
    let i = 0;
    const feed = () => {
      if (child.stdin.destroyed) return;
      const chunk = lines.slice(i, i + 6);
      i += 6;
      if (!chunk.length) return child.stdin.end();
      child.stdin.write(chunk.join('\n') + '\n', () => setTimeout(feed, 3));
    };
    child.stdin.on('error', () => undefined);
    feed();
  });
}

/** One change a user asks for; `key` names it in the acknowledgements. */
interface Change {
  key: string;
  lines: string[];
}

const LEADS = ['lee', 'lou'];
const AMOUNT_PENCE = 1000;

const vote = (voter: string): Change => ({ key: `vote:${voter}`, lines: [`:as ${voter}`, `/vote 1 ${choiceOf(voter)}`] });
const approval = (lead: string, grant: number): Change => ({ key: `approve:${grant}:${lead}`, lines: [`:as ${lead}`, `/grant approve ${grant}`] });
const role = (person: string): Change => ({ key: `role:${person}`, lines: [':as ana', `/role add @${person} lead`] });
const choiceOf = (voter: string) => 1 + (Number(/\d+$/.exec(voter)![0]) % 2);

/** What the printed replies acknowledge (a reply printed after a restart counts: it was committed before the kill). */
function acknowledged(stdout: string): string[] {
  const out: string[] = [];
  for (const m of stdout.matchAll(/^\[main\] (?:Thanks (v\d+): your vote in poll #1 is counted|(v\d+): your vote in poll #1 is already)/gm)) out.push(`vote:${m[1] ?? m[2]}`);
  for (const m of stdout.matchAll(/^\[main\] Thank you, (\w+): grant #(\d+) has 1 of 2 approvals/gm)) out.push(`approve:${m[2]}:${m[1]}`);
  for (const m of stdout.matchAll(/^\[main\] Grant #(\d+) is approved \(2 of 2 approvals, the last from (\w+)\)/gm)) out.push(`approve:${m[1]}:${m[2]}`);
  for (const m of stdout.matchAll(/^\[main\] (?:Done: (u\d+) is now a lead\.|(u\d+) is already a lead\.)/gm)) out.push(`role:${m[1] ?? m[2]}`);
  return out;
}

/** Every acknowledged change is in the database, and none is there twice. */
function checkDatabase(file: string, acked: Set<string>) {
  const db = new Database(file, { readonly: true });
  try {
    const votes = new Map(
      (db.prepare(`SELECT p.display_name AS name, b.option_idx AS choice FROM poll_voters v JOIN people p ON p.id = v.person_id JOIN poll_ballots b ON b.poll_id = v.poll_id AND b.ballot = v.ballot WHERE v.poll_id = 1`).all() as { name: string; choice: number }[]).map((r) => [r.name, r.choice]),
    );
    const decisions = new Set((db.prepare(`SELECT d.grant_id, p.display_name AS name FROM grant_decisions d JOIN people p ON p.id = d.person_id WHERE d.decision = 'approve'`).all() as { grant_id: number; name: string }[]).map((r) => `approve:${r.grant_id}:${r.name}`));
    const leads = new Set((db.prepare(`SELECT p.display_name AS name FROM roles r JOIN people p ON p.id = r.person_id WHERE r.role = 'lead'`).all() as { name: string }[]).map((r) => r.name));
    for (const key of acked) {
      const [kind, who] = key.split(':') as [string, string];
      const missing = `${key} was acknowledged but is not in the database`;
      if (kind === 'vote') expect(votes.get(who), missing).toBe(choiceOf(who));
      else if (kind === 'approve') expect(decisions.has(key), missing).toBe(true);
      else expect(leads.has(who), missing).toBe(true);
    }
    // Nothing twice: one role per person, one ledger entry per lead's approval, the money reserved once per approved grant.
    expect(db.prepare(`SELECT person_id FROM roles GROUP BY person_id, role, collab_id HAVING COUNT(*) > 1`).all()).toEqual([]);
    expect(db.prepare(`SELECT grant_id FROM grant_ledger WHERE event IN ('approval', 'approved') GROUP BY grant_id, actor_id HAVING COUNT(*) > 1`).all()).toEqual([]);
    const grants = db
      .prepare(
        `SELECT g.id, g.state, (SELECT COUNT(*) FROM grant_decisions d WHERE d.grant_id = g.id) AS approvals,
                (SELECT COALESCE(SUM(approved_change), 0) FROM grant_ledger l WHERE l.grant_id = g.id) AS reserved
         FROM grants g`,
      )
      .all() as { id: number; state: string; approvals: number; reserved: number }[];
    for (const g of grants) {
      expect(g.state, `grant #${g.id} has ${g.approvals} approvals`).toBe(g.approvals === 2 ? 'approved' : 'submitted');
      expect(g.reserved, `grant #${g.id}`).toBe(g.state === 'approved' ? AMOUNT_PENCE : 0);
    }
    expectConsistent(db);
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it('keeps every acknowledged vote, grant approval and role across SIGKILLs, and applies nothing twice', async () => {
    const kills = size(3, 20);
    const grantsPerRun = 6;
    const maxRuns = kills * 2 + 1;
    // A failing run can be repeated with its seed.
    const seed = Date.now() % 100_000;
    const random = seeded(seed);
    const db = tempDb();

    // The setting, without kills: a collab, two leads, a budget, a poll, and the grant requests the leads will approve.
    const grants = maxRuns * grantsPerRun;
    const setup = await runBot(db, [
      ':as ana',
      '/collab create Forum',
      ...LEADS.map((l) => `/role add @${l} lead`),
      '/fund set discovery 100000',
      '/poll "Which day?" "Tuesday" "Thursday"',
      ':as rae',
      ...Array.from({ length: grants }, (_, i) => `/grant request discovery £${AMOUNT_PENCE / 100} Hall hire for meeting number ${i + 1}`),
    ]);
    expect([...setup.stdout.matchAll(/^\[main\] Grant #\d+ requested/gm)], setup.stdout.slice(-2000)).toHaveLength(grants);

    const acked = new Set<string>();
    const everything: Change[] = [];
    let killed = 0;
    let runs = 0;
    for (; killed < kills && runs < maxRuns; runs++) {
      // Each run brings new changes, plus the ones that got no answer (the user sends those again), in a random order.
      const fresh = [
        ...Array.from({ length: 24 }, (_, i) => vote(`v${runs * 24 + i}`)),
        ...Array.from({ length: grantsPerRun }, (_, i) => LEADS.map((l) => approval(l, runs * grantsPerRun + i + 1))).flat(),
        ...Array.from({ length: 12 }, (_, i) => role(`u${runs * 12 + i}`)),
      ];
      everything.push(...fresh);
      const pending = shuffle(everything.filter((c) => !acked.has(c.key)), random);
      // Somewhere in the stream: after a random number of replies, plus a random few milliseconds.
      const run = await runBot(db, pending.flatMap((c) => c.lines), { afterReplies: Math.floor(random() * pending.length), delayMs: Math.floor(random() * 30) });
      if (run.killed) killed++;
      for (const key of acknowledged(run.stdout)) acked.add(key);
      checkDatabase(db, acked);
    }
    expect(killed, `seed ${seed}`).toBe(kills);

    // A last run without a kill: everything not yet answered is sent again and answered.
    const last = await runBot(db, everything.filter((c) => !acked.has(c.key)).flatMap((c) => c.lines));
    for (const key of acknowledged(last.stdout)) acked.add(key);
    checkDatabase(db, acked);
    expect(everything.filter((c) => !acked.has(c.key)).map((c) => c.key), `seed ${seed}`).toEqual([]);
  }, 300_000);
});
