// The docs a newcomer finds: a short README that leads to every page, and a
// command reference generated from the registry (`npm run docs`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../commands/index.js';
import { commandsMarkdown, COMMANDS_MD } from '../scripts/docs.js';

const ROOT = resolve(__dirname, '..');
const rel = (p: string) => relative(ROOT, p).split('\\').join('/');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
  });
}

/** Local pages a Markdown file links to (anchors and web addresses left out). */
function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.split('#')[0]!)
    .filter((target) => target && !/^[a-z]+:/i.test(target))
    .map((target) => resolve(dirname(file), target));
}

describe('docs', () => {
  it('docs/commands.md is what `npm run docs` generates from the registry today', () => {
    const generated = commandsMarkdown(allCommands);
    expect(readFileSync(COMMANDS_MD, 'utf8'), 'docs/commands.md is stale: run npm run docs').toBe(generated);
    for (const spec of allCommands) {
      expect(generated).toContain(`### /${spec.name}\n`);
      for (const example of spec.examples) expect(generated).toContain(`    ${example}\n`);
    }
  });

  it('describes every argument by its kind', () => {
    const md = commandsMarkdown(allCommands);
    expect(md).toMatch(/\| poll \| the poll number, e\.g\. `3` or `#3` \| yes \|/);
    expect(md).toMatch(/\| person \| a person: `@name`/);
    expect(md).toMatch(/\| --type \| [^|]*one of: `choice`, `proposal`, `ranked`, `score`, `stv` \| no \|/);
  });

  it('keeps the README under 10 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThan(10 * 1024);
  });

  it('reaches every docs page from the README by links, and every link goes to a file that exists', () => {
    const seen = new Set<string>();
    const broken: string[] = [];
    const queue = [join(ROOT, 'README.md')];
    while (queue.length) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const target of linksOf(file)) {
        if (!existsSync(target)) broken.push(`${rel(file)} → ${rel(target)}`);
        else if (target.endsWith('.md') && target.startsWith(ROOT)) queue.push(target);
      }
    }
    expect(broken).toEqual([]);
    const pages = markdownFiles(join(ROOT, 'docs')).map(rel);
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.filter((p) => !seen.has(join(ROOT, p)))).toEqual([]);
  });

  it('links every docs page straight from the README', () => {
    const fromReadme = new Set(linksOf(join(ROOT, 'README.md')).map(rel));
    expect(markdownFiles(join(ROOT, 'docs')).map(rel).filter((p) => !fromReadme.has(p))).toEqual([]);
  });
});
