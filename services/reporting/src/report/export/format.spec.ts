import { dateFr, intFr, madFr, madFromCentimes, monthFr, timestampFr } from './format';

const NBSP = '\u00a0';

describe('money from integer centimes', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [99, '0.99'],
    [100, '1.00'],
    [-5, '-0.05'],
    [-99, '-0.99'],
    [-100, '-1.00'],
    [-150, '-1.50'],
    [123_456_789, '1234567.89'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
    [-Number.MAX_SAFE_INTEGER, '-90071992547409.91'],
  ])('%d centimes are %s MAD', (centimes, mad) => {
    expect(madFromCentimes(centimes)).toBe(mad);
  });

  it('refuses what is not a whole number of centimes', () => {
    expect(() => madFromCentimes(1.5)).toThrow(RangeError);
    expect(() => madFromCentimes(Number.NaN)).toThrow(RangeError);
    expect(() => madFromCentimes(2 ** 53)).toThrow(RangeError);
  });

  it('reads as a French committee writes it', () => {
    expect(madFr(2_700_000_050)).toBe(`27${NBSP}000${NBSP}000,50${NBSP}MAD`);
    expect(madFr(-5)).toBe(`-0,05${NBSP}MAD`);
    expect(madFr(0)).toBe(`0,00${NBSP}MAD`);
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
