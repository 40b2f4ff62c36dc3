/**
 * An immutable list whose append costs O(1) amortised, for the lists a decider's state grows one event at a time
 * (a committee's meetings, an offer's steps). `evolve` that returned `[...state.list, item]` copied the list on
 * every event, so folding n events cost n²/2 copies; with `list.append(item)` it costs n.
 *
 * The versions of a list share one buffer, and a version is the first `length` items of it. Appending to the
 * newest version pushes onto the buffer, past the end of every older version, so none of them sees the item.
 * Appending to an older version again (a branch: the same state evolved twice) copies that version's items
 * first. Every version therefore reads the same items for as long as it lives, as a frozen array would.
 *
 * It reads like a readonly array (`length`, `find`, `filter`, `some`, `reduce`, iteration…), serialises to one
 * in JSON, and `toArray()` gives a frozen copy, made once per version, for event data and for tests.
 */
export class AppendList<T> implements Iterable<T> {
  readonly #items: T[];
  readonly #length: number;
  #array: readonly T[] | undefined;

  private constructor(items: T[], length: number) {
    this.#items = items;
    this.#length = length;
  }

  static empty<T>(): AppendList<T> {
    return new AppendList<T>([], 0);
  }

  /** A list of copies of the given items' references: later changes to `items` do not reach it. */
  static of<T>(items: Iterable<T>): AppendList<T> {
    const copy = [...items];
    return new AppendList(copy, copy.length);
  }

  get length(): number {
    return this.#length;
  }

  append(item: T): AppendList<T> {
    if (this.#items.length === this.#length) {
      this.#items.push(item);
      return new AppendList(this.#items, this.#length + 1);
    }
    const branch = this.#items.slice(0, this.#length);
    branch.push(item);
    return new AppendList(branch, branch.length);
  }

  at(index: number): T | undefined {
    const i = index < 0 ? this.#length + index : index;
    return i >= 0 && i < this.#length ? this.#items[i] : undefined;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.#length; i += 1) yield this.#items[i] as T;
  }

  find<S extends T>(predicate: (item: T, index: number) => item is S): S | undefined;
  find(predicate: (item: T, index: number) => boolean): T | undefined;
  find(predicate: (item: T, index: number) => boolean): T | undefined {
    for (let i = 0; i < this.#length; i += 1) {
      const item = this.#items[i] as T;
      if (predicate(item, i)) return item;
    }
    return undefined;
  }

  some(predicate: (item: T, index: number) => boolean): boolean {
    return this.#findIndex(predicate) >= 0;
  }

  every(predicate: (item: T, index: number) => boolean): boolean {
    return this.#findIndex((item, i) => !predicate(item, i)) < 0;
  }

  includes(item: T): boolean {
    return this.#findIndex((x) => x === item) >= 0;
  }

  filter<S extends T>(predicate: (item: T, index: number) => item is S): S[];
  filter(predicate: (item: T, index: number) => boolean): T[];
  filter(predicate: (item: T, index: number) => boolean): T[] {
    const kept: T[] = [];
    for (let i = 0; i < this.#length; i += 1) {
      const item = this.#items[i] as T;
      if (predicate(item, i)) kept.push(item);
    }
    return kept;
  }

  map<U>(mapper: (item: T, index: number) => U): U[] {
    const mapped: U[] = new Array(this.#length);
    for (let i = 0; i < this.#length; i += 1) mapped[i] = mapper(this.#items[i] as T, i);
    return mapped;
  }

  reduce<U>(reducer: (accumulator: U, item: T, index: number) => U, initial: U): U {
    let accumulator = initial;
    for (let i = 0; i < this.#length; i += 1) accumulator = reducer(accumulator, this.#items[i] as T, i);
    return accumulator;
  }

  /** The items as a frozen array: what goes into event data, which must be plain JSON. */
  toArray(): readonly T[] {
    this.#array ??= Object.freeze(this.#items.slice(0, this.#length));
    return this.#array;
  }

  toJSON(): readonly T[] {
    return this.toArray();
  }

  #findIndex(predicate: (item: T, index: number) => boolean): number {
    for (let i = 0; i < this.#length; i += 1) if (predicate(this.#items[i] as T, i)) return i;
    return -1;
  }
}
