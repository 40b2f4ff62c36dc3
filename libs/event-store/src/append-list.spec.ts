import { AppendList } from './append-list';

const listOf = (...items: string[]): AppendList<string> =>
  items.reduce((list, item) => list.append(item), AppendList.empty<string>());

describe('an append list', () => {
  it('reads its items in the order they were appended', () => {
    const list = listOf('a', 'b', 'c');
    expect(list.length).toBe(3);
    expect([...list]).toEqual(['a', 'b', 'c']);
    expect(list.toArray()).toEqual(['a', 'b', 'c']);
    expect([list.at(0), list.at(2), list.at(-1), list.at(3), list.at(-4)]).toEqual([
      'a',
      'c',
      'c',
      undefined,
      undefined,
    ]);
  });

  it('leaves every older version as it was when a newer one is appended to', () => {
    const empty = AppendList.empty<string>();
    const one = empty.append('a');
    const two = one.append('b');
    expect([empty.length, one.length, two.length]).toEqual([0, 1, 2]);
    expect([...empty]).toEqual([]);
    expect([...one]).toEqual(['a']);
    expect(one.includes('b')).toBe(false);
    expect(one.find((item) => item === 'b')).toBeUndefined();
  });

  it('branches: two appends to the same version give two lists that do not see each other', () => {
    const base = listOf('a', 'b');
    const left = base.append('left');
    const right = base.append('right');
    const rightAgain = right.append('more');
    expect(left.toArray()).toEqual(['a', 'b', 'left']);
    expect(right.toArray()).toEqual(['a', 'b', 'right']);
    expect(rightAgain.toArray()).toEqual(['a', 'b', 'right', 'more']);
    expect(base.toArray()).toEqual(['a', 'b']);
    expect(left.append('x').toArray()).toEqual(['a', 'b', 'left', 'x']);
  });

  it('copies what it is made of, so changing the source array changes nothing', () => {
    const source = ['a', 'b'];
    const list = AppendList.of(source);
    source.push('c');
    source[0] = 'z';
    expect(list.toArray()).toEqual(['a', 'b']);
  });

  it('gives a frozen array, the same one each time, and serialises as an array', () => {
    const list = listOf('a', 'b');
    expect(Object.isFrozen(list.toArray())).toBe(true);
    expect(list.toArray()).toBe(list.toArray());
    expect(JSON.stringify({ items: list })).toBe('{"items":["a","b"]}');
    expect(JSON.parse(JSON.stringify(list.append('c')))).toEqual(['a', 'b', 'c']);
  });

  it('answers the array reads a state is queried with', () => {
    const list = AppendList.of([3, 1, 4, 1, 5]);
    expect(list.find((n) => n > 3)).toBe(4);
    expect(list.find((n, i) => i === 3)).toBe(1);
    expect(list.filter((n) => n === 1)).toEqual([1, 1]);
    expect(list.some((n) => n === 5)).toBe(true);
    expect(list.some((n) => n === 9)).toBe(false);
    expect(list.every((n) => n > 0)).toBe(true);
    expect(list.every((n) => n > 1)).toBe(false);
    expect(list.includes(4)).toBe(true);
    expect(list.map((n, i) => n * i)).toEqual([0, 1, 8, 3, 20]);
    expect(list.reduce((sum, n) => sum + n, 0)).toBe(14);
    expect(AppendList.of([undefined]).some((item) => item === undefined)).toBe(true);
  });

  it('is equal in a test to another list of the same items, however each was built', () => {
    expect(listOf('a', 'b')).toEqual(AppendList.of(['a', 'b']));
    expect(listOf('a', 'b')).not.toEqual(AppendList.of(['a', 'c']));
    expect(listOf('a', 'b', 'c')).not.toEqual(listOf('a', 'b'));
  });

  it('keeps every version of a 100,000-item fold readable', () => {
    const versions: AppendList<number>[] = [AppendList.empty<number>()];
    for (let i = 0; i < 100_000; i += 1) versions.push((versions.at(-1) ?? AppendList.empty<number>()).append(i));
    expect(versions[100_000]?.length).toBe(100_000);
    expect(versions[100_000]?.at(99_999)).toBe(99_999);
    expect(versions[50_000]?.length).toBe(50_000);
    expect(versions[50_000]?.at(-1)).toBe(49_999);
    expect(versions[50_000]?.includes(50_000)).toBe(false);
  });
});
