// Figures are read like money (see grants/money.ts): digits as text, optional
// commas between groups of three, at most two decimals and only where the
// measure's unit allows them. Stored as whole hundredths.
import { clip } from '../text/format.js';

/** The largest figure anyone may record: 1,000,000,000. */
export const MAX_FIGURE = 1_000_000_000_00;

/** Units that are measured rather than counted, so figures may have decimals. */
const DECIMAL_UNITS = /^(£|gbp|pounds?|hours?|hrs?|kg|kilos?|kilograms?|tonnes?|tons?|km|kilometres?|miles?|litres?|%|percent|per ?cent|days?|fte)$/i;

export function unitAllowsDecimals(unit: string): boolean {
  return DECIMAL_UNITS.test(unit.trim());
}

export function isMoneyUnit(unit: string): boolean {
  return /^(£|gbp|pounds?)$/i.test(unit.trim());
}

export type FigureResult = { ok: true; hundredths: number } | { ok: false; message: string };

export function readFigure(input: string, decimals: boolean, example: string): FigureResult {
  const fail = (message: string): FigureResult => ({ ok: false, message: `${message}\nFor example: ${example}` });
  const text = input.trim().replace(/^£\s*/, '');
  if (/^[-\u2212]/.test(text)) return fail(`A figure can't be negative: leave out the minus sign.`);
  if (/^[\d.,]+[eE][-+]?\d+$/.test(text)) return fail(`Write the figure in plain digits, e.g. 1000 rather than 1e3.`);
  if (!/^[\d.,]+$/.test(text) || !/\d/.test(text)) return fail(`"${clip(input, 21)}" isn't a number. Type the figure in digits.`);
  const point = text.indexOf('.');
  if (point >= 0 && !decimals) return fail(`This measure counts whole things, so type a whole number, without a point.`);
  if (point !== text.lastIndexOf('.')) return fail(`A figure has at most one point.`);
  const whole = point < 0 ? text : text.slice(0, point);
  const fraction = point < 0 ? '' : text.slice(point + 1);
  if (fraction.includes(',')) return fail(`Commas go only before the point, between groups of three digits, e.g. 1,250.5.`);
  if (!whole) return fail(`Put a digit before the point, e.g. 0.5.`);
  if (point >= 0 && !fraction) return fail(`Put digits after the point, or leave the point out.`);
  if (fraction.length > 2) return fail(`A figure can have at most 2 digits after the point.`);
  if (whole.includes(',') && !/^\d{1,3}(,\d{3})+$/.test(whole)) return fail(`The commas are in the wrong place: they go between groups of three digits, e.g. 1,250 (or leave them out).`);
  const digits = whole.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  if (digits.length > 10) return fail(`That is more than I can record: figures go up to 1,000,000,000.`);
  const hundredths = Number(digits) * 100 + Number(fraction.padEnd(2, '0'));
  if (hundredths > MAX_FIGURE) return fail(`That is more than I can record: figures go up to 1,000,000,000.`);
  return { ok: true, hundredths };
}

/** `1,250`, `12.5`, or `£1,250.00` for money units. */
export function formatFigure(hundredths: number, unit: string): string {
  const neg = hundredths < 0;
  const abs = Math.abs(hundredths);
  const whole = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = abs % 100;
  const sign = neg ? '-' : '';
  if (isMoneyUnit(unit)) return `${sign}£${whole}.${String(cents).padStart(2, '0')}`;
  if (!cents) return `${sign}${whole}`;
  return `${sign}${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** A figure with its unit: `120 people`, `£1,250.00`, `12.5 hours`. */
export function figureWithUnit(hundredths: number, unit: string): string {
  return isMoneyUnit(unit) ? formatFigure(hundredths, unit) : `${formatFigure(hundredths, unit)} ${unit}`;
}
