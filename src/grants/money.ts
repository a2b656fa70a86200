// Money is integer pence, in pounds sterling. People type `750`, `£750`,
// `750.50` or `£1,000`; we always show `£1,000.00`. Parsing works on the
// digits as text, so no floating point ever touches an amount.
import { clip } from '../text/format.js';

/** The largest amount anyone may type: £100,000,000.00. */
export const MAX_PENCE = 100_000_000_00;

const HOW = 'Type it like £750, 750.50 or £1,000.';
const TOO_BIG = `That is more than I can handle: amounts go up to ${formatMoney(MAX_PENCE)}.`;

export type MoneyResult = { ok: true; pence: number } | { ok: false; message: string };

/** Read an amount of money; `allowZero` for budgets, which may be £0. */
export function readMoney(input: string, { allowZero = false } = {}): MoneyResult {
  const fail = (message: string): MoneyResult => ({ ok: false, message });
  if (/^(£\s*)?[-\u2212]/.test(input.trim())) return fail(`The amount can't be negative: leave out the minus sign, e.g. £750.`);
  const text = input.trim().replace(/^\+/, '').replace(/^(gbp|£)\s*/i, '').replace(/\s*gbp$/i, '');
  if (!text) return fail(`Say how much, in pounds. ${HOW}`);
  if (/^[$€¥]|^(usd|eur)\b/i.test(text)) return fail(`Amounts are in pounds (£), e.g. £750.`);
  if (/^[\d.,]+[eE][-+]?\d+$/.test(text)) return fail(`Write the amount in plain digits, e.g. 1000 rather than 1e3.`);
  if (!/^[\d.,]+$/.test(text) || !/\d/.test(text)) return fail(`"${clip(input, 21)}" doesn't look like an amount of money. ${HOW}`);

  const point = text.indexOf('.');
  if (point !== text.lastIndexOf('.')) return fail(`An amount has at most one point, before the pence, e.g. 750.50.`);
  const whole = point < 0 ? text : text.slice(0, point);
  const fraction = point < 0 ? '' : text.slice(point + 1);
  if (fraction.includes(',')) return fail(`Commas go only in the pounds, between groups of three digits, e.g. £1,000.50.`);
  if (!whole) return fail(`Put a digit before the point, e.g. 0.50.`);
  if (point >= 0 && !fraction) return fail(`Put the pence after the point, e.g. 750.50, or leave the point out.`);
  if (fraction.length > 2) return fail(`An amount can have at most 2 digits after the point (the pence), e.g. £1,000.50.`);
  if (whole.includes(',') && !/^\d{1,3}(,\d{3})+$/.test(whole)) {
    return fail(`The commas in "${clip(input, 21)}" are in the wrong place: they go between groups of three digits, e.g. £1,000 or £10,000 (or leave them out: 10000).`);
  }
  const digits = whole.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  if (digits.length > 9) return fail(TOO_BIG);
  const pence = Number(digits) * 100 + Number(fraction.padEnd(2, '0'));
  if (pence > MAX_PENCE) return fail(TOO_BIG);
  if (pence === 0 && !allowZero) return fail(`The amount must be more than £0, e.g. £750.`);
  return { ok: true, pence };
}

/** `£1,000.00`; negative amounts as `-£5.00`. */
export function formatMoney(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new Error(`not a whole number of pence: ${pence}`);
  const abs = Math.abs(pence);
  const pounds = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const p = String(abs % 100).padStart(2, '0');
  return `${pence < 0 ? '-' : ''}£${pounds}.${p}`;
}

/** `1000.00`: pounds with two decimals and no symbol, for CSV. */
export function plainPounds(pence: number): string {
  const abs = Math.abs(pence);
  return `${pence < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An amount as someone would type it in an example: `1000`, `750.50`. */
export function exampleAmount(pence: number): string {
  return pence % 100 ? plainPounds(pence) : String(pence / 100);
}
