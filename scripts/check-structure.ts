// Structure checks anyone can run (`npm run check:structure`; test/structure.test.ts
// runs them in `npm test`): no import cycle (type-only imports count too), the
// one direction of dependency, and no source file over 400 lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['src', 'commands', 'adapters', 'scripts'];
export const MAX_LINES = 400;

/** Every .ts file under the folders, as paths relative to the repository. */
export function sourceFiles(dirs = SOURCE_DIRS): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (/\.ts$/.test(name)) out.push(path.split('\\').join('/'));
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The repository files a file imports (static, type-only and dynamic imports). */
export function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith('.')) continue;
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec.replace(/\.js$/, '.ts'))).split('\\').join('/');
    out.add(target.endsWith('.ts') ? target : `${target}.ts`);
  }
  return [...out];
}

/** Import cycles among the files, each as the list of files around it. */
export function findCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t]);
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

/** Imports against the one direction (adapters → commands → core → services): src and adapters never import commands, src never imports adapters; only src/main.ts wires them. */
export function layerViolations(files: string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (f === 'src/main.ts') continue;
    for (const t of importsOf(f)) {
      if (f.startsWith('src/') && (t.startsWith('commands/') || t.startsWith('adapters/'))) out.push(`${f} imports ${t}`);
      if (f.startsWith('adapters/') && t.startsWith('commands/')) out.push(`${f} imports ${t}`);
    }
  }
  return out;
}

/** Source files (outside test/) over the line limit. */
export function longFiles(files: string[]): string[] {
  return files
    .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1 }))
    .filter((x) => x.lines > MAX_LINES)
    .map((x) => `${x.f}: ${x.lines} lines`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = sourceFiles();
  const problems = [
    ...findCycles(files).map((c) => `import cycle: ${c.join(' → ')}`),
    ...layerViolations(files).map((v) => `wrong direction: ${v}`),
    ...longFiles(files).map((l) => `over ${MAX_LINES} lines: ${l}`),
  ];
  for (const p of problems) process.stdout.write(p + '\n');
  process.stdout.write(problems.length ? `${problems.length} problems\n` : `OK: ${files.length} files, no cycles, one direction, none over ${MAX_LINES} lines\n`);
  process.exit(problems.length ? 1 : 0);
}
