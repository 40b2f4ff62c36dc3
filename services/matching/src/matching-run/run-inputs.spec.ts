import { sortInTurns } from './run-inputs';

describe('sortInTurns', () => {
  it('sorts as a stable sort by the key would, across runs and merges, letting the event loop turn', async () => {
    // Keys repeat, so the order of equal keys is checked too; 120,001 items make three runs and a left-over.
    const items = Array.from({ length: 120_001 }, (_, i) => ({ id: `s-${(i * 7_919) % 40_000}`, at: i }));
    const expected = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let turns = 0;
    const ticking = setInterval(() => {
      turns += 1;
    }, 0);
    const sorted = await sortInTurns([...items], (item) => item.id);
    clearInterval(ticking);
    expect(sorted).toEqual(expected);
    expect(turns).toBeGreaterThan(0);
  });

  it('sorts a short list at once', async () => {
    expect(await sortInTurns(['b', 'c', 'a'], (s) => s)).toEqual(['a', 'b', 'c']);
  });
});
