/**
 * An immutable map from strings, for folds: adding or replacing an entry copies only the path to it
 * (a few arrays of 32 slots), never the whole map, and leaves every earlier version as it was. A fold
 * that keeps one entry per file therefore takes linear time over its stream, where copying an object
 * or an array on every event (`{ ...held, [key]: x }`, `[...files, key]`) takes quadratic time.
 *
 * A hash array mapped trie: five bits of the key's hash choose a slot at each level; keys whose
 * 32-bit hashes collide share a leaf.
 */
export interface PersistentMap<V> {
  readonly size: number;
  readonly root: Trie<V> | undefined;
}

type Trie<V> = Leaf<V> | Branch<V>;
interface Leaf<V> {
  readonly hash: number;
  readonly entries: ReadonlyArray<readonly [string, V]>;
}
interface Branch<V> {
  readonly slots: ReadonlyArray<Trie<V> | undefined>;
}

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

/** FNV-1a over the key's UTF-16 code units. */
const hashOf = (key: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
};

const isLeaf = <V>(trie: Trie<V>): trie is Leaf<V> => 'entries' in trie;

export const emptyMap = <V>(): PersistentMap<V> => ({ size: 0, root: undefined });

export const lookup = <V>(map: PersistentMap<V>, key: string): V | undefined => {
  const hash = hashOf(key);
  let trie = map.root;
  for (let shift = 0; trie; shift += BITS) {
    if (isLeaf(trie)) return trie.hash === hash ? trie.entries.find(([entry]) => entry === key)?.[1] : undefined;
    trie = trie.slots[(hash >>> shift) & MASK];
  }
  return undefined;
};

/** The map with `key` set to `value`; `map` itself is unchanged. */
export const withEntry = <V>(map: PersistentMap<V>, key: string, value: V): PersistentMap<V> => {
  const hash = hashOf(key);
  let added = false;
  const put = (trie: Trie<V> | undefined, shift: number): Trie<V> => {
    if (!trie) {
      added = true;
      return { hash, entries: [[key, value]] };
    }
    if (isLeaf(trie)) {
      if (trie.hash === hash) {
        const at = trie.entries.findIndex(([entry]) => entry === key);
        if (at < 0) added = true;
        const entries =
          at < 0 ? [...trie.entries, [key, value] as const] : trie.entries.with(at, [key, value] as const);
        return { hash, entries };
      }
      // Two hashes differ in some five bits before the 32 run out, so this ends.
      const slots = new Array<Trie<V> | undefined>(WIDTH).fill(undefined);
      slots[(trie.hash >>> shift) & MASK] = trie;
      return put({ slots }, shift);
    }
    const slot = (hash >>> shift) & MASK;
    return { slots: trie.slots.with(slot, put(trie.slots[slot], shift + BITS)) };
  };
  const root = put(map.root, 0);
  return { size: added ? map.size + 1 : map.size, root };
};
