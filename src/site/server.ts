// The live transparency site: the same pages as `npm run site`, built from a
// read-only connection to the database, plus GET /healthz. GET and HEAD only.
import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AdapterHealth } from '../model.js';
import { buildSite, type SiteOptions } from './build.js';

export interface SiteServerOptions {
  dbPath: string;
  port: number;
  host?: string;
  clock: Clock;
  log: Logger;
  site: Omit<SiteOptions, 'now'>;
  /** Each running adapter's platform and health. */
  adapters: () => { platform: string; health: AdapterHealth | null }[];
  /** Pages are rebuilt at most this often (ms). */
  maxAgeMs?: number;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  xml: 'application/atom+xml; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const SECURITY_HEADERS = {
  // Nothing on the pages comes from elsewhere, and no script runs.
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export async function startSiteServer(opts: SiteServerOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const db = new Database(opts.dbPath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const backlog = db.prepare<[], { platform: string; pending: number; failed: number }>(
    `SELECT platform, SUM(status = 'pending') AS pending, SUM(status = 'failed') AS failed FROM outbox GROUP BY platform ORDER BY platform`,
  );
  const maxAge = opts.maxAgeMs ?? 30_000;
  let cached: { at: number; files: Promise<Map<string, string>> } | undefined;
  const files = () => {
    const now = opts.clock.now();
    if (!cached || now - cached.at >= maxAge) {
      const built = buildSite(db, { ...opts.site, now });
      cached = { at: now, files: built };
      built.catch(() => (cached = undefined));
    }
    return cached.files;
  };

  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('This site can only be read.\n');
          return;
        }
        const path = new URL(req.url ?? '/', 'http://site').pathname;
        if (path === '/healthz') {
          const rows = backlog.all();
          const body = {
            status: 'ok',
            outbox: { pending: rows.reduce((s, r) => s + (r.pending ?? 0), 0), failed: rows.reduce((s, r) => s + (r.failed ?? 0), 0), byPlatform: rows },
            adapters: opts.adapters().map((a) => ({ platform: a.platform, connected: a.health ? a.health.connected : true, since: a.health?.since ?? null, detail: a.health?.detail ?? null })),
          };
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
          return;
        }
        const name = path === '/' ? 'index.html' : path.slice(1);
        const all = await files();
        const body = all.get(name);
        if (body === undefined) {
          res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS }).end('<!doctype html><title>Not found</title><p>There is no such page. Go to <a href="/">the home page</a>.</p>\n');
          return;
        }
        const ext = name.slice(name.lastIndexOf('.') + 1);
        res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'public, max-age=60', ...SECURITY_HEADERS });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch (err) {
        opts.log.error({ err }, 'the site could not answer a request');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The site could not be built just now. Please try again in a minute.\n');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          db.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
