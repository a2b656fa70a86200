// Queries declared once: each is a prepared statement that is also the
// repository's method, typed by its parameters and row. Statements that bind
// more than a few values take one object and `@name` parameters, so values
// cannot be bound in the wrong order.
import type { DB } from './db.js';

/** Positional parameters as a tuple, or one object for `@name` parameters. */
type Params = unknown[] | [Record<string, unknown>];

export function queries(db: DB) {
  return {
    /** The first row, or undefined. */
    one<P extends Params, R>(sql: string) {
      const s = db.prepare<unknown[], R>(sql);
      return (...params: P): R | undefined => s.get(...(params as unknown[]));
    },
    /** Every row. */
    all<P extends Params, R>(sql: string) {
      const s = db.prepare<unknown[], R>(sql);
      return (...params: P): R[] => s.all(...(params as unknown[]));
    },
    /** How many rows changed. */
    run<P extends Params>(sql: string) {
      const s = db.prepare<unknown[]>(sql);
      return (...params: P): number => s.run(...(params as unknown[])).changes;
    },
    /** An INSERT: the new row's id. */
    insert<P extends Params>(sql: string) {
      const s = db.prepare<unknown[]>(sql);
      return (...params: P): number => Number(s.run(...(params as unknown[])).lastInsertRowid);
    },
    /** The single value of the first row (e.g. a COUNT), or undefined. */
    value<P extends Params, V>(sql: string) {
      const s = db.prepare<unknown[], V>(sql).pluck();
      return (...params: P): V | undefined => s.get(...(params as unknown[])) as V | undefined;
    },
  };
}
