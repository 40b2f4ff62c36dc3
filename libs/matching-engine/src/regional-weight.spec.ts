import { MatchingInputError } from './matching.types';
import { MAX_MULTIPLIER, NEUTRAL_MULTIPLIER, regionalWeight } from './regional-weight';

describe('regionalWeight', () => {
  it('leaves an average region at 100, raises weaker ones and lowers stronger ones', () => {
    // Mean rate 0.3, so 0.7 of seekers wait on average; region 0 has 0.8 waiting, region 2 has 0.6.
    expect(Array.from(regionalWeight([0.2, 0.3, 0.4], 1))).toEqual([114, 100, 86]);
  });

  it('grows with beta, and beta 0 is neutral', () => {
    expect(Array.from(regionalWeight([0.2, 0.3, 0.4], 0))).toEqual([100, 100, 100]);
    expect(Array.from(regionalWeight([0.2, 0.3, 0.4], 2))).toEqual([131, 100, 73]);
  });

  it('stays neutral when every region placed everyone, and within 1..MAX_MULTIPLIER otherwise', () => {
    expect(Array.from(regionalWeight([1, 1], 3))).toEqual([NEUTRAL_MULTIPLIER, NEUTRAL_MULTIPLIER]);
    expect(Array.from(regionalWeight([1, 0.98, 0], 8))).toEqual([1, 1, MAX_MULTIPLIER]);
  });

  it('refuses rates outside 0..1 and an unusable beta', () => {
    expect(() => regionalWeight([0.5, 1.5], 1)).toThrow(MatchingInputError);
    expect(() => regionalWeight([0.5], Number.NaN)).toThrow(MatchingInputError);
    expect(() => regionalWeight([], 1)).toThrow(MatchingInputError);
  });
});
