// Loaded with `node --import`: records every module the process resolves into
// the file named by TRACE_IMPORTS_FILE, so a test can see what start-up loads.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.TRACE_IMPORTS_FILE) appendFileSync(process.env.TRACE_IMPORTS_FILE, r.url + '\\n');
  return r;
}`),
);
