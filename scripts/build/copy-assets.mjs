// After `tsc -p tsconfig.build.json`: copy what the compiled code reads at run
// time next to it: the SQL migrations that src/storage/db.ts applies at start-up,
// and the site's templates and stylesheet (src/site/build.ts reads them from its own folder).
import { cpSync, mkdirSync } from 'node:fs';

for (const dir of ['src/storage/migrations', 'src/site']) {
  mkdirSync(`dist/${dir}`, { recursive: true });
  cpSync(dir, `dist/${dir}`, { recursive: true, filter: (p) => !p.endsWith('.ts') });
}
