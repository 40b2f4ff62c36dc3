import { decodePosition, encodeCursor, encodePosition, nextRank, RANK_BITS, START_CURSOR } from './positions';

describe('$all positions', () => {
  it('encode a transaction id and a rank into one number that decodes back', () => {
    expect(encodePosition(755, 0)).toBe(String(755n << RANK_BITS));
    expect(decodePosition(encodePosition(755, 3))).toEqual({ txId: 755, rank: 3 });
    expect(decodePosition(encodePosition(2 ** 42, 1_048_575))).toEqual({ txId: 2 ** 42, rank: 1_048_575 });
  });

  it('are monotonic in commit order: by transaction first, then by rank within it', () => {
    const order: Array<[number, number]> = [
      [10, 0],
      [10, 1],
      [10, 1_048_575],
      [11, 0],
      [900_000, 2],
    ];
    const encoded = order.map(([tx, rank]) => BigInt(encodePosition(tx, rank)));
    expect([...encoded].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(encoded);
  });

  it('refuse what they cannot encode rather than hand out a wrong position', () => {
    expect(() => encodePosition(5, 1_048_576)).toThrow(/more than/);
    expect(() => encodePosition(2 ** 43, 0)).toThrow(/beyond/);
  });

  it('rank events by their place in their own transaction', () => {
    const first = nextRank(START_CURSOR, 7);
    expect(first).toBe(0);
    expect(nextRank({ txId: 7, position: 40, rank: first }, 7)).toBe(1);
    expect(nextRank({ txId: 7, position: 41, rank: 1 }, 9)).toBe(0);
    expect(encodeCursor({ txId: 7, position: 41, rank: 2 ** 20 })).toBe(encodePosition(7, 2 ** 20 - 1));
  });
});
