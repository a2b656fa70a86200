// stv_10k: counting an stv poll with 10,000 voters, 20 candidates and 5 seats
// by the Scottish rules (the rankings already read). Baseline in the same run:
// loading the same ballot rows with the plainest query. Goal: under 200 ms.
// The note adds the whole results path (PollsRepo.rankings, then the count).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { countStv } from '../../src/polls/stv.js';
import { expandRankings } from '../../src/polls/tally.js';
import { createServices } from '../../src/services.js';
import { openDatabase } from '../../src/storage/db.js';
import { median, result, sample, seeded, shuffle, zipf, type Bench } from './lib.js';
import { PollsRepo } from '../../src/polls/repo.js';

export const stv: Bench = async ({ quick }) => {
  const voters = 10_000;
  const candidates = 20;
  const seats = 5;
  const runs = quick ? 5 : 20;
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'bench-stv-')), 's.sqlite'));
  const services = createServices({ db, clock: systemClock, config: loadConfig({}), log: silentLogger });
  const { people, collabs, polls } = services;
  const random = seeded(18);

  const admin = people.ensure('bench', 'admin', 'admin');
  const chat = collabs.ensureChat('bench', 'forum', 'forum', false);
  const collab = collabs.create('Forum', chat, admin);
  const from = { chat: collabs.ensureChat('bench', 'forum', 'forum', false) };
  const labels = Array.from({ length: candidates }, (_, i) => `Candidate ${i + 1}`);
  const poll = polls.create({ question: 'Delegates to the board', options: labels, type: 'stv', seats, createdBy: admin, collabId: collab.id, from });

  // Popular candidates first more often; rankings of 1 to 20 candidates, so ballots run out and many stages are needed.
  const pollsRepo = new PollsRepo(db);
  const favourite = zipf(candidates, random, 0.7);
  const all = labels.map((_, i) => i + 1);
  db.transaction(() => {
    for (let i = 0; i < voters; i++) {
      const person = people.ensure('bench', `v${i}`, `Voter ${i}`);
      collabs.noteMember(collab.id, person);
      const order = [1 + favourite(), ...shuffle([...all], random)].filter((x, k, a) => a.indexOf(x) === k);
      const ranks = order.slice(0, 1 + Math.floor(random() * order.length));
      pollsRepo.addVoter(poll.id, person, null, null);
      pollsRepo.insertBallot(poll.id, randomBytes(12).toString('base64url'), ranks.map((idx, r) => ({ idx, value: r + 1 })));
    }
  })();

  const everyRow = db.prepare('SELECT ballot, option_idx, value FROM poll_ballots WHERE poll_id = ?');
  const count = () => polls.result(polls.require(poll.id), { runoff: true });
  count(), everyRow.all(poll.id);
  const full = median(sample(runs, count));
  const base = median(sample(runs, () => everyRow.all(poll.id)));
  // Identical rankings are stored once with their number: one ballot each again for the count.
  const counted = pollsRepo.rankings(poll.id);
  const rankings = expandRankings(counted.rankings, counted.weights);
  const ms = median(sample(runs, () => countStv(rankings, all, seats, 'bench')));
  const r = count().stv!;
  const rows = (everyRow.all(poll.id) as unknown[]).length;
  db.close();
  return [
    result({
      bench: 'stv_10k',
      value: ms,
      unit: 'ms',
      baseline: base,
      goal: 'value < 200 ms',
      met: ms < 200,
      limits: 'the count is one pass over the moving ballots per stage',
      note:
        `the count of an stv poll: ${voters} voters, ${candidates} candidates, ${seats} seats, ${rows} rankings, ${r.stages.length} stages (median of ${runs}); ` +
        `baseline: loading every ballot row; the whole results path (reading the rankings through PollsRepo.rankings, then counting) took ${full.toFixed(0)} ms`,
    }),
  ];
};
