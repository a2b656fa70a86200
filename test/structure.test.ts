// The structure rules of docs/develop/README.md, checked on every `npm test`.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, layerViolations, longFiles, ROOT, sourceFiles } from '../scripts/check-structure.js';

describe('the code structure', () => {
  const files = sourceFiles();

  it('reads the whole code base', () => {
    expect(files).toContain('src/main.ts');
    expect(files).toContain('adapters/discord/commands.ts');
    expect(files.length).toBeGreaterThan(80);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(findCycles(files)).toEqual([]);
  });

  it('keeps one direction: src and adapters never import commands, src never imports adapters (only src/main.ts wires them)', () => {
    expect(layerViolations(files)).toEqual([]);
  });

  it('has no source file outside test/ over 400 lines', () => {
    expect(longFiles(files)).toEqual([]);
  });

  it('would catch a cycle and a wrong import', () => {
    const dir = mkdtempSync(join(ROOT, 'src', '.structure-'));
    try {
      const rel = (f: string) => relative(ROOT, join(dir, f)).split('\\').join('/');
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.js';\nexport type A = B;\n");
      writeFileSync(join(dir, 'b.ts'), "import {\n  x,\n} from './a.js';\nimport { allCommands } from '../../commands/index.js';\nexport type B = 1;\n");
      const both = [rel('a.ts'), rel('b.ts')];
      expect(findCycles(both)).toEqual([[rel('a.ts'), rel('b.ts'), rel('a.ts')]]);
      expect(layerViolations(both)).toEqual([`${rel('b.ts')} imports commands/index.ts`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
