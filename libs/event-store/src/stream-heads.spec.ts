import { StreamHeads } from './stream-heads';

const head = (version: number) => ({ version, hash: `h${version}` });

describe('StreamHeads', () => {
  it('answers what was set, null for a stream seen absent, undefined for one never seen', () => {
    const heads = new StreamHeads(10);
    heads.set('a', head(1));
    heads.set('b', null);
    expect(heads.get('a')).toEqual(head(1));
    expect(heads.get('b')).toBeNull();
    expect(heads.get('c')).toBeUndefined();
    heads.set('a', head(2));
    expect(heads.get('a')).toEqual(head(2));
    heads.forget('a');
    expect(heads.get('a')).toBeUndefined();
  });

  it('never holds more than its capacity, and keeps the heads used lately', () => {
    const heads = new StreamHeads(100);
    heads.set('kept', head(0));
    for (let i = 0; i < 10_000; i += 1) {
      heads.set(`s${i}`, head(i));
      if (i % 10 === 0) expect(heads.get('kept')).toEqual(head(0));
      expect(heads.size).toBeLessThanOrEqual(100);
    }
    expect(heads.get('s9999')).toEqual(head(9999));
    expect(heads.get('s0')).toBeUndefined();
  });

  it('keeps a head read from the older half when the younger one turns over', () => {
    const heads = new StreamHeads(4);
    heads.set('a', head(1));
    heads.set('b', head(2));
    heads.set('c', head(3));
    expect(heads.get('a')).toEqual(head(1));
    heads.set('d', head(4));
    heads.set('e', head(5));
    expect(heads.get('a')).toEqual(head(1));
    expect(heads.get('b')).toBeUndefined();
  });
});
