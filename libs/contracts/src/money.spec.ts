import fc from 'fast-check';
import { centimesParts, madFromCentimes } from './money';

describe('MAD from integer centimes', () => {
  it.each([
    [0, '0.00'],
    [-0, '0.00'],
    [5, '0.05'],
    [99, '0.99'],
    [100, '1.00'],
    [-5, '-0.05'],
    [-99, '-0.99'],
    [-100, '-1.00'],
    [-150, '-1.50'],
    [-100_001, '-1000.01'],
    [123_456_789, '1234567.89'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
    [-Number.MAX_SAFE_INTEGER, '-90071992547409.91'],
  ])('%d centimes are %s MAD', (centimes, mad) => {
    expect(madFromCentimes(centimes)).toBe(mad);
  });

  it('writes every safe integer exactly: the digits read back are the centimes given', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (centimes) => {
        const text = madFromCentimes(centimes);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(centimes));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes a bigint sum past 2^53 exactly', () => {
    const sum = BigInt(Number.MAX_SAFE_INTEGER) * 3n + 7n;
    expect(madFromCentimes(sum)).toBe('270215977642229.80');
    expect(madFromCentimes(-sum)).toBe('-270215977642229.80');
  });

  it('refuses a number that does not count whole centimes exactly', () => {
    expect(() => madFromCentimes(1.5)).toThrow(RangeError);
    expect(() => madFromCentimes(Number.NaN)).toThrow(RangeError);
    expect(() => madFromCentimes(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => madFromCentimes(2 ** 53)).toThrow(RangeError);
  });

  it('splits sign, dirhams and centimes for other layouts', () => {
    expect(centimesParts(-270_000_050)).toEqual({ sign: '-', whole: '2700000', cents: '50' });
  });
});
