import { amountFr, dateFr, intFr, madFr, monthFr, timestampFr } from './format';

const NBSP = '\u00a0';

describe('money from integer centimes', () => {
  it('reads as a French committee writes it', () => {
    expect(madFr(2_700_000_050)).toBe(`27${NBSP}000${NBSP}000,50${NBSP}MAD`);
    expect(madFr(-5)).toBe(`-0,05${NBSP}MAD`);
    expect(madFr(0)).toBe(`0,00${NBSP}MAD`);
    expect(amountFr(-Number.MAX_SAFE_INTEGER)).toBe(`-90${NBSP}071${NBSP}992${NBSP}547${NBSP}409,91`);
    expect(() => amountFr(1.5)).toThrow(RangeError);
    expect(intFr(103_599)).toBe(`103${NBSP}599`);
    expect(intFr(-1_000)).toBe(`-1${NBSP}000`);
  });
});

describe('French dates', () => {
  it('names days and months, and says 1er', () => {
    expect(dateFr('2022-12-01')).toBe('1er décembre 2022');
    expect(dateFr('2022-08-15')).toBe('15 août 2022');
    expect(monthFr('2022-02')).toBe('février 2022');
    expect(timestampFr('2023-01-02T08:30:00.000Z')).toBe('2 janvier 2023, 08:30 UTC');
    expect(dateFr('not a date')).toBe('not a date');
  });
});
