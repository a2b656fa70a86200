// CSV for every export. Cells come from what people typed (names, options,
// notes): one starting with = + - @, a tab or a carriage return would run as a
// formula when opened in a spreadsheet (e.g. =HYPERLINK(... leaking other
// cells). As OWASP recommends, such cells get a leading apostrophe. Plain
// numbers (e.g. -12.50) stay numbers; a cell our own code wrote (trusted(), e.g. +1.63632
// in an stv count) is kept as it is.
import { stringify } from 'csv-stringify/sync';

/** Text our own code wrote, never what someone typed (e.g. a signed figure in an stv count). */
export class TrustedCell {
  constructor(readonly text: string) {}
}
export const trusted = (text: string) => new TrustedCell(text);

export type Cell = string | number | null | undefined | TrustedCell;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function safeCell(value: Cell): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  if (value instanceof TrustedCell) return value.text;
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** Rows (the first one may be the header) as CSV, every cell made safe. */
export function toCsv(rows: Cell[][]): string {
  return stringify(rows.map((r) => r.map(safeCell)));
}
