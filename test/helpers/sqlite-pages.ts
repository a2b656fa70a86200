// An attacker's view of SQLite files: every b-tree cell of every page, read in
// physical order (SQLite fills a page from its end, so later cells sit lower),
// and every frame of a WAL file, valid or stale. Used by the anonymity test to
// check that nothing on disk gives away the order in which ballots were cast.
export type Value = number | bigint | string | Uint8Array | null;

export interface Cell {
  /** Where the page came from: 'main' or 'wal frame N'. */
  source: string;
  page: number;
  /** Byte offset of the cell inside its page. */
  offset: number;
  values: Value[];
}

function varint(buf: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i]!;
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) return [v, i + 1];
  }
  return [(v << 8n) | BigInt(buf[at + 8]!), 9];
}

function decodeRecord(payload: Uint8Array): Value[] {
  const [headerSize, n] = varint(payload, 0);
  const types: number[] = [];
  for (let at = n; at < Number(headerSize) && at < payload.length; ) {
    const [t, m] = varint(payload, at);
    types.push(Number(t));
    at += m;
  }
  const out: Value[] = [];
  let at = Number(headerSize);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (const t of types) {
    if (at > payload.length) break;
    if (t === 0) out.push(null);
    else if (t >= 1 && t <= 6) {
      const len = [0, 1, 2, 3, 4, 6, 8][t]!;
      let v = 0n;
      for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(payload[at + i] ?? 0);
      if (len && payload[at]! & 0x80) v -= 1n << BigInt(len * 8);
      out.push(Number(v));
      at += len;
    } else if (t === 7) {
      out.push(at + 8 <= payload.length ? view.getFloat64(at) : null);
      at += 8;
    } else if (t === 8 || t === 9) out.push(t - 8);
    else if (t >= 12) {
      const len = t % 2 === 0 ? (t - 12) / 2 : (t - 13) / 2;
      const bytes = payload.subarray(at, at + len);
      out.push(t % 2 === 0 ? bytes : Buffer.from(bytes).toString('utf8'));
      at += len;
    } else out.push(null);
  }
  return out;
}

export interface Pages {
  pageSize: number;
  usable: number;
  /** A page by number, for following overflow chains. */
  get(n: number): Uint8Array | undefined;
}

/** The cells of one b-tree page, in physical order (lowest offset, i.e. most recently written, last). */
export function cellsOf(page: Uint8Array, pageNo: number, pages: Pages, source: string): Cell[] {
  const h = pageNo === 1 ? 100 : 0;
  const type = page[h];
  if (type !== 0x0d && type !== 0x0a && type !== 0x02) return [];
  const leaf = type !== 0x02;
  const count = (page[h + 3]! << 8) | page[h + 4]!;
  const ptrs: number[] = [];
  for (let i = 0; i < count; i++) {
    const p = (page[h + (leaf ? 8 : 12) + 2 * i]! << 8) | page[h + (leaf ? 9 : 13) + 2 * i]!;
    if (p > 0 && p < page.length) ptrs.push(p);
  }
  ptrs.sort((a, b) => b - a);
  const U = pages.usable;
  const cells: Cell[] = [];
  for (const offset of ptrs) {
    try {
      let at = offset + (type === 0x02 ? 4 : 0);
      const [p, n1] = varint(page, at);
      at += n1;
      if (type === 0x0d) at += varint(page, at)[1];
      const P = Number(p);
      const X = type === 0x0d ? U - 35 : Math.floor(((U - 12) * 64) / 255) - 23;
      const M = Math.floor(((U - 12) * 32) / 255) - 23;
      const K = M + ((P - M) % (U - 4));
      const local = P <= X ? P : K <= X ? K : M;
      const parts = [page.subarray(at, at + local)];
      let have = local;
      let next = P > local ? new DataView(page.buffer, page.byteOffset).getUint32(at + local) : 0;
      for (let guard = 0; next && have < P && guard < 100_000; guard++) {
        const o = pages.get(next);
        if (!o) break;
        const take = Math.min(U - 4, P - have);
        parts.push(o.subarray(4, 4 + take));
        have += take;
        next = new DataView(o.buffer, o.byteOffset).getUint32(0);
      }
      cells.push({ source, page: pageNo, offset, values: decodeRecord(Buffer.concat(parts)) });
    } catch {
      // a torn or zeroed cell: nothing to read
    }
  }
  return cells;
}

/** Every cell of the main database file, page by page, each page's cells in physical order. */
export function mainFileCells(file: Uint8Array): Cell[] {
  if (file.length < 100) return [];
  const raw = (file[16]! << 8) | file[17]!;
  const pageSize = raw === 1 ? 65536 : raw;
  const pages: Pages = { pageSize, usable: pageSize - file[20]!, get: (n) => (n >= 1 && n * pageSize <= file.length ? file.subarray((n - 1) * pageSize, n * pageSize) : undefined) };
  const out: Cell[] = [];
  for (let n = 1; n * pageSize <= file.length; n++) out.push(...cellsOf(pages.get(n)!, n, pages, 'main'));
  return out;
}

/** Every frame of a WAL file in file order (stale ones too), each with the cells of its page image. */
export function walFrames(wal: Uint8Array, main: Uint8Array): { frame: number; page: number; cells: Cell[] }[] {
  if (wal.length < 32) return [];
  const dv = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const pageSize = dv.getUint32(8);
  const reserved = main.length >= 100 ? main[20]! : 0;
  const frames: { page: number; data: Uint8Array }[] = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    frames.push({ page: dv.getUint32(at), data: wal.subarray(at + 24, at + 24 + pageSize) });
  }
  return frames.map((f, i) => {
    // Overflow pages: the latest image up to this frame, else the main file.
    const pages: Pages = {
      pageSize,
      usable: pageSize - reserved,
      get(n) {
        for (let j = i; j >= 0; j--) if (frames[j]!.page === n) return frames[j]!.data;
        return n >= 1 && n * pageSize <= main.length ? main.subarray((n - 1) * pageSize, n * pageSize) : undefined;
      },
    };
    return { frame: i + 1, page: f.page, cells: cellsOf(f.data, f.page, pages, `wal frame ${i + 1}`) };
  });
}

/** How many transactions a WAL file holds: frames that end a commit carry the database's size. */
export function walCommits(wal: Uint8Array): number {
  if (wal.length < 32) return 0;
  const dv = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const pageSize = dv.getUint32(8);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) if (dv.getUint32(at + 4) !== 0) commits++;
  return commits;
}
