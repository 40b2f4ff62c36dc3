import { boundHeapGrowth, collectGarbage } from './collect-garbage';

/**
 * The most heap in use while allocating about 600 MB, of which the last 20 slices (about 30 MB)
 * stay live at any time, from a heap just collected: how far V8 let the heap grow between full
 * collections.
 */
const peakHeapWhileChurning = (): number => {
  collectGarbage();
  let peak = 0;
  const window: Array<Array<{ i: number; s: string }>> = [];
  for (let r = 0; r < 400; r += 1) {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    window.push(Array.from({ length: 20_000 }, (_, i) => ({ i, s: `item ${r}.${i}` })));
    if (window.length > 20) window.shift();
  }
  expect(window).toHaveLength(20);
  return peak;
};

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

describe('bounding the heap while a run holds it', () => {
  it('keeps the heap smaller while a run bounds it, and lets it grow as before once released', () => {
    const unbounded = peakHeapWhileChurning();
    const release = boundHeapGrowth();
    let bounded: number;
    try {
      bounded = peakHeapWhileChurning();
    } finally {
      release();
    }
    const after = peakHeapWhileChurning();
    expect(bounded).toBeLessThan(unbounded * 0.75);
    expect(bounded).toBeLessThan(after * 0.75);
  });

  it('holds the bound until the last of two overlapping runs releases it', () => {
    const first = boundHeapGrowth();
    const second = boundHeapGrowth();
    first();
    first();
    let held: number;
    try {
      held = peakHeapWhileChurning();
    } finally {
      second();
    }
    expect(held).toBeLessThan(peakHeapWhileChurning() * 0.75);
  });
});
