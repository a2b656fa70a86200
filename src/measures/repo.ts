// The SQL for shared measures and their figures. Prepared statements only.
import type { DB } from '../storage/db.js';

export interface MeasureRow {
  id: number;
  name: string;
  unit: string;
  outcome: string;
  description: string | null;
  decimals: number;
  created_at: number;
  outcome_name: string;
  outcome_position: number;
}

export interface FigureRow {
  measure_id: number;
  collab_id: number;
  collab_name: string;
  period: string;
  value: number;
  recorded_at: number;
}

export class MeasuresRepo {
  private s;
  constructor(db: DB) {
    const measureSelect = `SELECT m.*, o.name AS outcome_name, o.position AS outcome_position FROM measures m JOIN story_outcomes o ON o.slug = m.outcome`;
    this.s = {
      all: db.prepare<[], MeasureRow>(`${measureSelect} ORDER BY o.position, m.name`),
      byName: db.prepare<[string], MeasureRow>(`${measureSelect} WHERE m.name = ? COLLATE NOCASE`),
      insert: db.prepare<[string, string, string, string | null, number, number, number]>(
        'INSERT INTO measures (name, unit, outcome, description, decimals, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      update: db.prepare<[string, string, string | null, number, number]>('UPDATE measures SET unit = ?, outcome = ?, description = ?, decimals = ? WHERE id = ?'),
      current: db.prepare<[number, number, string], { id: number; value: number }>(
        'SELECT id, value FROM measure_values WHERE measure_id = ? AND collab_id = ? AND period = ? AND replaced_at IS NULL',
      ),
      replace: db.prepare<[number, number]>('UPDATE measure_values SET replaced_at = ? WHERE id = ?'),
      record: db.prepare<[number, number, string, number, number, number]>(
        'INSERT INTO measure_values (measure_id, collab_id, period, value, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      figures: db.prepare<[number], FigureRow>(
        `SELECT v.measure_id, v.collab_id, c.name AS collab_name, v.period, v.value, v.recorded_at
         FROM measure_values v JOIN collabs c ON c.id = v.collab_id
         WHERE v.measure_id = ? AND v.replaced_at IS NULL ORDER BY c.name, v.period`,
      ),
      allFigures: db.prepare<[], FigureRow & { measure_name: string; unit: string; outcome: string; recorded_by_name: string | null; replaced_at: number | null }>(
        `SELECT v.measure_id, m.name AS measure_name, m.unit, m.outcome, v.collab_id, c.name AS collab_name, v.period, v.value,
                v.recorded_at, v.replaced_at, p.display_name AS recorded_by_name
         FROM measure_values v JOIN measures m ON m.id = v.measure_id JOIN collabs c ON c.id = v.collab_id
         LEFT JOIN people p ON p.id = v.recorded_by
         ORDER BY m.name, c.name, v.period, v.id`,
      ),
      countValues: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM measure_values WHERE measure_id = ? AND replaced_at IS NULL'),
      mergeRecorder: db.prepare<[number, number]>('UPDATE measure_values SET recorded_by = ? WHERE recorded_by = ?'),
      mergeCreator: db.prepare<[number, number]>('UPDATE measures SET created_by = ? WHERE created_by = ?'),
    };
  }

  all() {
    return this.s.all.all();
  }
  byName(name: string) {
    return this.s.byName.get(name);
  }
  insert(name: string, unit: string, outcome: string, description: string | null, decimals: boolean, by: number, now: number): number {
    return Number(this.s.insert.run(name, unit, outcome, description, decimals ? 1 : 0, by, now).lastInsertRowid);
  }
  update(id: number, unit: string, outcome: string, description: string | null, decimals: boolean) {
    this.s.update.run(unit, outcome, description, decimals ? 1 : 0, id);
  }
  current(measureId: number, collabId: number, period: string) {
    return this.s.current.get(measureId, collabId, period);
  }
  replace(id: number, now: number) {
    this.s.replace.run(now, id);
  }
  record(measureId: number, collabId: number, period: string, value: number, by: number, now: number) {
    this.s.record.run(measureId, collabId, period, value, by, now);
  }
  figures(measureId: number) {
    return this.s.figures.all(measureId);
  }
  allFigures() {
    return this.s.allFigures.all();
  }
  countValues(measureId: number) {
    return this.s.countValues.get(measureId)!.n;
  }
  mergePerson(from: number, to: number) {
    this.s.mergeRecorder.run(to, from);
    this.s.mergeCreator.run(to, from);
  }
}
