// tally_100k: `/poll results` for a choice poll and a ranked poll with 100,000
// voters each (20,000 in a quick run, named so), typed into the bot: parser,
// registry, permission check, the results (counts, voters, instant-runoff for
// the ranked poll, rendering) and the durable commit of the event record and
// the reply, on a file database. Baselines in the same run: the plainest query
// that could answer each (a GROUP BY count over the same rows for the choice
// poll; loading every per-option ballot row for the ranked poll).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/logger.js';
import type { InboundEvent } from '../../src/model.js';
import { openDatabase } from '../../src/storage/db.js';
import { median, result, sample, seeded, shuffle, zipf, type Bench } from './lib.js';
import { PollsRepo } from '../../src/polls/repo.js';

export const tally: Bench = async ({ quick }) => {
  const voters = quick ? 20_000 : 100_000;
  const size = `${voters / 1000}k`;
  const runs = quick ? 10 : 30;
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'bench-tally-')), 't.sqlite'));
  const bot = new Bot({ db, config: loadConfig({}), clock: systemClock, log: silentLogger, commands: allCommands });
  const { people, collabs, polls } = bot.services;
  const random = seeded(11);

  const admin = people.ensure('console', 'admin', 'admin');
  let seq = 0;
  // On the console (the host's own terminal), so the per-person limit of 20 commands a minute does not apply.
  const say = (text: string): InboundEvent => ({
    kind: 'message',
    platform: 'console',
    eventId: `t${++seq}`,
    messageId: `t${seq}`,
    chat: { id: 'forum', name: 'forum', isDirect: false },
    author: { id: 'admin', displayName: 'admin', isBot: false },
    text,
    time: new Date(),
  });
  const chat = collabs.ensureChat('console', 'forum', 'forum', false);
  const collab = collabs.create('Forum', chat, admin);
  const from = { chat: collabs.ensureChat('console', 'forum', 'forum', false) }; // read again: now in the collab
  const choice = polls.create({ question: 'Which day for the forum?', options: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], createdBy: admin, collabId: collab.id, from });
  const labels = ['Minibus', 'Food hub', 'Youth club', 'Repair café', 'Garden', 'Training'];
  const ranked = polls.create({ question: 'What should we fund first?', options: labels, type: 'ranked', createdBy: admin, collabId: collab.id, from });

  // 10,000 people, each voting in both polls: popular options more often, and
  // rankings of 1 to 6 options (some ballots run out), so the runoff takes several rounds.
  const day = zipf(5, random, 0.6);
  const favourite = zipf(labels.length, random, 0.3);
  const now = Date.now();
  const pollsRepo = new PollsRepo(db);
  db.transaction(() => {
    for (let i = 0; i < voters; i++) {
      const person = people.ensure('console', `v${i}`, `Voter ${i}`);
      collabs.noteMember(collab.id, person);
      const b1 = randomBytes(12).toString('base64url');
      pollsRepo.addVoter(choice.id, person, b1, now);
      pollsRepo.insertBallot(choice.id, b1, [{ idx: 1 + day(), value: 1 }]);
      const order = [1 + favourite(), ...shuffle([1, 2, 3, 4, 5, 6], random)].filter((x, k, a) => a.indexOf(x) === k);
      const ranks = order.slice(0, 1 + Math.floor(random() * order.length));
      const b2 = randomBytes(12).toString('base64url');
      pollsRepo.addVoter(ranked.id, person, b2, now);
      pollsRepo.insertBallot(ranked.id, b2, ranks.map((idx, r) => ({ idx, value: r + 1 })));
    }
  })();

  const groupBy = db.prepare('SELECT option_idx, COUNT(*) AS n FROM poll_ballots WHERE poll_id = ? GROUP BY option_idx');
  const everyRow = db.prepare('SELECT ballot, option_idx, value FROM poll_ballots WHERE poll_id = ?');
  const command = (id: number) => {
    const outcome = bot.process(say(`/poll results ${id}`));
    if (outcome !== 'handled') throw new Error(`/poll results ${id} was ${outcome}`);
  };
  const service = (id: number) => polls.resultsText(polls.require(id));
  // Warm up caches and prepared statements on both sides.
  command(choice.id), command(ranked.id), groupBy.all(choice.id), everyRow.all(ranked.id);

  const choiceMs = median(sample(runs, () => command(choice.id)));
  const choiceBase = median(sample(runs, () => groupBy.all(choice.id)));
  const rankedMs = median(sample(runs, () => command(ranked.id)));
  const rankedService = median(sample(runs, () => service(ranked.id)));
  const rankedBase = median(sample(runs, () => everyRow.all(ranked.id)));
  const rounds = polls.result(polls.require(ranked.id), { runoff: true }).runoff?.rounds.length ?? 0;
  const rows = (everyRow.all(ranked.id) as unknown[]).length;
  const distinct = pollsRepo.rankings(ranked.id).rankings.length;
  const reply = db.prepare(`SELECT body FROM outbox ORDER BY id DESC LIMIT 1`).pluck().get() as string;
  if (!reply.includes('Results of poll')) throw new Error(`unexpected reply: ${reply.slice(0, 200)}`);
  db.close();

  return [
    result({
      bench: `tally_${size}_choice`,
      value: choiceMs,
      unit: 'ms',
      baseline: choiceBase,
      note: `/poll results of a 5-option choice poll typed into the bot (parse, results, durable commit of the reply), ${voters} voters (median of ${runs}); baseline: SELECT COUNT(*) ... GROUP BY option over the same rows`,
    }),
    result({
      bench: `tally_${size}_ranked`,
      value: rankedMs,
      unit: 'ms',
      baseline: rankedBase,
      goal: '<= 100 ms',
      met: rankedMs <= 100,
      limits: 'the reply is a durable commit (one disk flush), and a busy machine slows the flush most',
      note: `/poll results of a 6-option ranked poll typed into the bot (parse, results, durable commit of the reply), ${voters} voters, ${rows} per-option rows packed in ${voters} rankings, ${distinct} different ones read with their counts, instant-runoff in ${rounds} rounds (median of ${runs}); the results alone (service) ${rankedService.toFixed(1)} ms; baseline: loading every per-option ballot row, as before packing; the collective has no single-transferable-vote polls, so STV has no figure`,
    }),
  ];
};
