// After `tsc -p tsconfig.build.json`: copy what the compiled code reads at run
// time next to it (the SQL migrations that src/storage/db.ts applies at start-up).
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/src/storage/migrations', { recursive: true });
cpSync('src/storage/migrations', 'dist/src/storage/migrations', { recursive: true, filter: (p) => !p.endsWith('.ts') });
