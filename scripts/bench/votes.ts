// vote_core_throughput: votes per second through the core alone (tokenize, validate,
// permission check, service, SQLite commit, outbox row) on a file database in
// WAL mode; baseline: single-row INSERT transactions per second with
// better-sqlite3 on the same disk and settings. Also command_latency p50/p99.
// One event at a time (bot.process), so every vote commits alone; no adapter and
// no sender: vote_throughput (path.ts) measures the whole path.
import { runCoreVotes } from './core-votes.js';
import { percentile, result, type Bench } from './lib.js';

export const votes: Bench = async ({ quick }) => {
  const n = quick ? 2_000 : 10_000;
  const { baselinePerSec, votesPerSec, latencies, outboxRows, fifth, early, late } = runCoreVotes({
    n,
    poll: '/poll "Which day?" "Tuesday" "Thursday"',
    vote: (i) => `/vote 1 ${1 + (i % 2)}`,
  });
  latencies.sort((a, b) => a - b);
  return [
    result({
      bench: 'vote_core_throughput',
      value: votesPerSec,
      unit: 'votes/s',
      baseline: baselinePerSec,
      goal: 'ratio >= 0.25',
      met: votesPerSec / baselinePerSec >= 0.25,
      limits:
        'one vote at a time, as when people vote alone, so each is a durable commit of its own: the event record, the ballot, the running tallies, ' +
        'the reply and (on a platform that can edit) the refreshed live view, about 11 pages written and synced against the baseline\'s one or two; ' +
        'votes that arrive together share a commit (vote_throughput)',
      note: `${n} voters in one poll; first ${fifth}: ${Math.round(early)} votes/s (ratio ${(early / baselinePerSec).toFixed(2)}), last ${fifth}: ${Math.round(late)} votes/s (ratio ${(late / baselinePerSec).toFixed(2)}); baseline: single-row INSERT transactions/s, same disk, WAL, synchronous=FULL; ${outboxRows} outbox rows (reply and refreshed view)`,
    }),
    result({ bench: 'command_latency_p50', value: percentile(latencies, 50), unit: 'ms', note: '/vote through the whole core, same run' }),
    result({ bench: 'command_latency_p99', value: percentile(latencies, 99), unit: 'ms', note: '/vote through the whole core, same run' }),
  ];
};
