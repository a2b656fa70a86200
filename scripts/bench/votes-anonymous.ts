// vote_throughput_anonymous: anonymous votes per second through the whole core,
// as vote_throughput measures named ones. Each anonymous vote rewrites its poll's
// shuffled ballots list (so its cost grows with the poll), and after commit
// truncates the WAL (a checkpoint: the main file is synced too). Baseline:
// single-row INSERT transactions per second on the same disk and settings.
import { runCoreVotes } from './core-votes.js';
import { result, type Bench } from './lib.js';

export const votesAnonymous: Bench = async ({ quick }) => {
  const n = quick ? 1_000 : 5_000;
  const { baselinePerSec, votesPerSec, fifth, early, late } = runCoreVotes({
    n,
    poll: '/poll "Who represents us?" "Asha" "Bo" "Chen" --type ranked --anonymous',
    vote: (i) => `/vote 1 ${1 + (i % 3)} ${1 + ((i + 1) % 3)}`,
  });
  return [
    result({
      bench: 'vote_throughput_anonymous',
      value: votesPerSec,
      unit: 'votes/s',
      baseline: baselinePerSec,
      note:
        `${n} voters in one anonymous ranked poll; first ${fifth}: ${Math.round(early)} votes/s (ratio ${(early / baselinePerSec).toFixed(2)}), ` +
        `last ${fifth}: ${Math.round(late)} votes/s (ratio ${(late / baselinePerSec).toFixed(2)}); each vote rewrites the poll's shuffled ballots list ` +
        'and truncates the WAL after commit; baseline: single-row INSERT transactions/s, same disk, WAL, synchronous=FULL',
    }),
  ];
};
