// Prints the Slack app manifest generated from the command registry.
//   npm run slack-manifest                               Socket Mode (the committed slack-manifest.yml)
//   npm run slack-manifest -- --http https://your.host   HTTP mode, Slack posts to https://your.host/slack/events
//   npm run slack-manifest -- --json                     JSON instead of YAML
//   npm run slack-manifest -- --write                    rewrite slack-manifest.yml (after adding commands)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestYaml, slackManifest } from '../adapters/slack/manifest.js';
import { allCommands } from '../commands/index.js';
import { Registry } from '../src/core/registry.js';

const args = process.argv.slice(2);
const httpAt = args.indexOf('--http');
const publicUrl = httpAt >= 0 ? args[httpAt + 1] : undefined;
if (httpAt >= 0 && !publicUrl?.startsWith('https://')) {
  process.stderr.write('--http needs the public https address of your bot, e.g. --http https://collabot.example.org\n');
  process.exit(1);
}
const registry = new Registry(allCommands);
if (args.includes('--write')) {
  const file = join(import.meta.dirname, '..', 'slack-manifest.yml');
  writeFileSync(file, manifestYaml(registry));
  process.stdout.write(`Wrote ${file}\n`);
} else if (args.includes('--json')) {
  process.stdout.write(JSON.stringify(slackManifest(registry, { publicUrl }), null, 2) + '\n');
} else {
  process.stdout.write(manifestYaml(registry, { publicUrl }));
}
