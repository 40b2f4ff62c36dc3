import { progressTo } from './progress';

const terminal = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, target: { isTTY, columns: 80, write: (s: string) => written.push(s) } };
};

describe('the progress bar', () => {
  it('is drawn in place on a terminal and cleared at the end', () => {
    const { written, target } = terminal(true);
    const bar = progressTo(target)('replaying');
    expect(bar.active).toBe(true);
    bar.update(0, 4);
    bar.update(1, 4);
    bar.update(4, 4);
    bar.end();
    expect(written).toHaveLength(4);
    expect(written[1]).toMatch(/^\rreplaying \[#+\.+\] {2}25% 1\/4$/);
    expect(written[2]).toMatch(/^\rreplaying \[#+\] 100% 4\/4$/);
    expect(written[3]).toBe(`\r${' '.repeat((written[2] ?? '').length - 1)}\r`);
    expect(written.join('')).not.toContain('\n');
  });

  it('writes nothing when stderr is not a terminal', () => {
    const { written, target } = terminal(false);
    const bar = progressTo(target)('replaying');
    expect(bar.active).toBe(false);
    bar.update(1, 2);
    bar.end();
    expect(written).toEqual([]);
  });

  it('redraws only when the tenth of a percent moves, so it may be told of every event', () => {
    const { written, target } = terminal(true);
    const bar = progressTo(target)('chains');
    for (let i = 0; i <= 100_000; i += 1) bar.update(i, 100_000);
    expect(written.length).toBe(1_001);
  });

  it('clears nothing when nothing was drawn, and copes with an empty total', () => {
    const { written, target } = terminal(true);
    const bar = progressTo(target)('digest');
    bar.end();
    expect(written).toEqual([]);
    bar.update(0, 0);
    expect(written[0]).toMatch(/\[\.+\] {3}0% 0\/0$/);
  });
});
