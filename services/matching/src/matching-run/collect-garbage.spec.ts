import { collectGarbage } from './collect-garbage';

describe('collecting garbage on demand', () => {
  it('frees what nothing refers to any more, at once', () => {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    let held: Array<{ n: number; text: string }> | undefined = Array.from({ length: 400_000 }, (_, n) => ({
      n,
      text: `item ${n}`,
    }));
    const grown = process.memoryUsage().heapUsed;
    expect(grown - before).toBeGreaterThan(20_000_000);
    expect(held.length).toBe(400_000);
    held = undefined;
    collectGarbage();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan((grown - before) / 4);
  });
});
