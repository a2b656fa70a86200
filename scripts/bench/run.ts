// `npm run bench [-- --quick] [-- --only name,name]`: runs every benchmark,
// prints one JSON line each, writes data/bench-latest.json and (a full run of
// every benchmark only, so a quick run never replaces it) docs/benchmarks.md.
// `npm run bench -- --report` writes docs/benchmarks.md again from the last
// full run's data/bench-latest.json, running nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { backlog } from './backlog.js';
import { machine, type Bench, type Result } from './lib.js';
import { markdown } from './report.js';
import { growth } from './growth.js';
import { path } from './path.js';
import { relay } from './relay.js';
import { scheduler } from './scheduler.js';
import { search } from './search.js';
import { startup } from './startup.js';
import { stv } from './stv.js';
import { tally } from './tally.js';
import { votes } from './votes.js';
import { votesAnonymous } from './votes-anonymous.js';

const benches: Record<string, Bench> = {
  path,
  votes,
  backlog,
  votesAnonymous,
  tally,
  stv,
  search,
  scheduler,
  relay,
  startup,
  growth,
};

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--report')) return report();
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only='))?.slice(7) ?? (args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined);
  const only = onlyArg?.split(',');
  const unknown = only?.filter((name) => !(name in benches));
  if (unknown?.length) {
    process.stderr.write(`No benchmark called ${unknown.join(', ')}. --only takes: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  const results: Result[] = [];
  for (const [name, bench] of Object.entries(benches)) {
    if (only && !only.includes(name)) continue;
    try {
      for (const r of await bench({ quick })) {
        results.push(r);
        process.stdout.write(JSON.stringify(r) + '\n');
      }
    } catch (err) {
      const r: Result = { bench: name, value: NaN, unit: 'error', note: err instanceof Error ? err.message : String(err) };
      results.push(r);
      process.stdout.write(JSON.stringify(r) + '\n');
    }
  }
  const info = { ...machine(), quick };
  mkdirSync('data', { recursive: true });
  writeFileSync('data/bench-latest.json', JSON.stringify({ ...info, only: only ?? null, results }, null, 2) + '\n');
  if (!only && !quick) {
    mkdirSync('docs', { recursive: true });
    writeFileSync('docs/benchmarks.md', markdown(info, results));
  }
}

function report() {
  const last = JSON.parse(readFileSync('data/bench-latest.json', 'utf8')) as ReturnType<typeof machine> & { quick: boolean; only?: string[] | null; results: Result[] };
  if (last.quick || last.only) {
    process.stderr.write('data/bench-latest.json is from a quick or partial run; docs/benchmarks.md shows full runs only. Run `npm run bench` first.\n');
    process.exit(2);
  }
  writeFileSync('docs/benchmarks.md', markdown(last, last.results));
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
