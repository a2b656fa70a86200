import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleAmount, formatMoney, MAX_PENCE, plainPounds, readMoney } from '../../src/grants/money.js';

const pence = (s: string, opts?: { allowZero?: boolean }) => {
  const r = readMoney(s, opts);
  if (!r.ok) throw new Error(`expected ${s} to parse, got: ${r.message}`);
  return r.pence;
};
const refusal = (s: string, opts?: { allowZero?: boolean }) => {
  const r = readMoney(s, opts);
  if (r.ok) throw new Error(`expected ${s} to be refused, got ${r.pence}p`);
  return r.message;
};

describe('money', () => {
  it('reads amounts as people type them, into integer pence', () => {
    expect(pence('750')).toBe(75_000);
    expect(pence('£750')).toBe(75_000);
    expect(pence('750.50')).toBe(75_050);
    expect(pence('750.5')).toBe(75_050);
    expect(pence('£1,000')).toBe(100_000);
    expect(pence('£1,000.05')).toBe(100_005);
    expect(pence('£12,345,678.99')).toBe(1_234_567_899);
    expect(pence(' £ 20 ')).toBe(2_000);
    expect(pence('0.01')).toBe(1);
    expect(pence('0750')).toBe(75_000);
    expect(pence('£0', { allowZero: true })).toBe(0);
    expect(pence('£100,000,000')).toBe(MAX_PENCE);
  });

  it('refuses each bad amount with its own clear reason and an example', () => {
    expect(refusal('£0')).toBe('The amount must be more than £0, e.g. £750.');
    expect(refusal('0.00')).toBe('The amount must be more than £0, e.g. £750.');
    for (const s of ['-5', '£-5', '-£5', '\u22125']) expect(refusal(s)).toBe("The amount can't be negative: leave out the minus sign, e.g. £750.");
    expect(refusal('1e3')).toBe('Write the amount in plain digits, e.g. 1000 rather than 1e3.');
    expect(refusal('1E+3')).toContain('plain digits');
    expect(refusal('£1,000.005')).toBe('An amount can have at most 2 digits after the point (the pence), e.g. £1,000.50.');
    for (const s of ['1,00,0', '10,00', ',100', '1000,000', '1,0000', '1,']) {
      expect(refusal(s)).toMatch(/^The commas in ".*" are in the wrong place: they go between groups of three digits, e\.g\. £1,000/);
    }
    expect(refusal('1.000,50')).toContain('Commas go only in the pounds');
    expect(refusal('99999999999999')).toBe('That is more than I can handle: amounts go up to £100,000,000.00.');
    expect(refusal('100000000.01')).toBe('That is more than I can handle: amounts go up to £100,000,000.00.');
    expect(refusal('1e309')).toContain('plain digits');
    expect(refusal('$750')).toBe('Amounts are in pounds (£), e.g. £750.');
    expect(refusal('€750')).toContain('in pounds');
    expect(refusal('1.2.3')).toContain('at most one point');
    expect(refusal('.50')).toContain('digit before the point');
    expect(refusal('750.')).toContain('pence after the point');
    for (const s of ['NaN', 'Infinity', '0x10', 'lots', '1k', '£', '', '７５０']) {
      expect(refusal(s)).toMatch(/doesn't look like an amount of money\. Type it like £750, 750\.50 or £1,000\.|Say how much/);
    }
  });

  it('always shows £1,000.00', () => {
    expect(formatMoney(100_000)).toBe('£1,000.00');
    expect(formatMoney(75_050)).toBe('£750.50');
    expect(formatMoney(5)).toBe('£0.05');
    expect(formatMoney(0)).toBe('£0.00');
    expect(formatMoney(-500)).toBe('-£5.00');
    expect(formatMoney(MAX_PENCE)).toBe('£100,000,000.00');
    expect(plainPounds(123_456)).toBe('1234.56');
    expect(plainPounds(-5)).toBe('-0.05');
    expect(exampleAmount(100_000)).toBe('1000');
    expect(exampleAmount(75_050)).toBe('750.50');
    expect(() => formatMoney(1.5)).toThrow();
  });

  it('reads back whatever it shows, in every form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_PENCE }), (p) => {
        expect(pence(formatMoney(p))).toBe(p);
        expect(pence(plainPounds(p))).toBe(p);
        expect(pence(exampleAmount(p))).toBe(p);
        expect(pence(formatMoney(p).replace(/,/g, ''))).toBe(p);
      }),
      { numRuns: 500 },
    );
  });
});
