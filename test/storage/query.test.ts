// queries(): each query declared once, typed, with named parameters for many values.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { queries } from '../../src/storage/query.js';

describe('queries', () => {
  it('binds named parameters by name whatever their order, and reads rows, values and changes', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)');
    const q = queries(db);
    const insert = q.insert<[{ b: number; a: string }]>('INSERT INTO t (a, b) VALUES (@a, @b)');
    const byId = q.one<[id: number], { id: number; a: string; b: number }>('SELECT * FROM t WHERE id = ?');
    const all = q.all<[], { a: string }>('SELECT a FROM t ORDER BY id');
    const count = q.value<[{ min: number }], number>('SELECT COUNT(*) FROM t WHERE b >= @min');
    const bump = q.run<[{ by: number; id: number }]>('UPDATE t SET b = b + @by WHERE id = @id');

    expect(insert({ b: 2, a: 'x' })).toBe(1);
    expect(insert({ a: 'y', b: 5 })).toBe(2);
    expect(byId(1)).toEqual({ id: 1, a: 'x', b: 2 });
    expect(byId(9)).toBeUndefined();
    expect(all().map((r) => r.a)).toEqual(['x', 'y']);
    expect(count({ min: 3 })).toBe(1);
    expect(bump({ id: 1, by: 10 })).toBe(1);
    expect(bump({ id: 9, by: 10 })).toBe(0);
    expect(count({ min: 3 })).toBe(2);
    db.close();
  });
});
