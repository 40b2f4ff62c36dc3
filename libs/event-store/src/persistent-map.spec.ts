import { emptyMap, lookup, withEntry, type PersistentMap } from './persistent-map';

describe('a persistent map', () => {
  it('finds what was set, and leaves every earlier version as it was', () => {
    let map = emptyMap<number>();
    const versions: PersistentMap<number>[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      versions.push(map);
      map = withEntry(map, `grant:${i}`, i);
    }
    expect(map.size).toBe(10_000);
    expect(lookup(map, 'grant:0')).toBe(0);
    expect(lookup(map, 'grant:9999')).toBe(9999);
    expect(lookup(map, 'grant:10000')).toBeUndefined();
    expect(versions[5000]?.size).toBe(5000);
    expect(versions[5000] && lookup(versions[5000], 'grant:4999')).toBe(4999);
    expect(versions[5000] && lookup(versions[5000], 'grant:5000')).toBeUndefined();
  });

  it('replaces an entry without growing', () => {
    const one = withEntry(emptyMap<string>(), 'a', 'first');
    const two = withEntry(one, 'a', 'second');
    expect([two.size, lookup(two, 'a'), lookup(one, 'a')]).toEqual([1, 'second', 'first']);
  });

  it('keeps keys whose hashes collide apart', () => {
    // FNV-1a over 32 bits: among a few hundred thousand scattered keys two share a hash (the birthday
    // bound is ~77,000); keys that differ only in their last digits happen to spread without colliding.
    const fnv = (key: string): number => {
      let h = 0x811c9dc5;
      for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
      return h >>> 0;
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair && i < 1_000_000; i += 1) {
      const key = `grant:${(Math.imul(i, 2654435761) >>> 0).toString(36)}`;
      const other = seen.get(fnv(key));
      if (other) pair = [other, key];
      seen.set(fnv(key), key);
    }
    if (!pair) throw new Error('no two keys collided');
    const [a, b] = pair;
    const map = withEntry(withEntry(emptyMap<string>(), a, 'A'), b, 'B');
    expect([map.size, lookup(map, a), lookup(map, b)]).toEqual([2, 'A', 'B']);
  });
});
