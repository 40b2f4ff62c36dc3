import { createHash } from 'node:crypto';
import { MerkleAccumulator } from './digest';

const h = (...parts: (string | Buffer)[]): Buffer => parts.reduce((x, p) => x.update(p), createHash('sha256')).digest();

/** The textbook recursive definition: split at the largest power of two below n. */
const naiveRoot = (leaves: readonly string[]): Buffer => {
  if (leaves.length === 1) return h('\x00', leaves[0] ?? '');
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return h('\x01', naiveRoot(leaves.slice(0, split)), naiveRoot(leaves.slice(split)));
};

const rootOf = (leaves: readonly string[]): string => {
  const acc = new MerkleAccumulator();
  leaves.forEach((l) => acc.add(l));
  return acc.root();
};

describe('the log digest', () => {
  it('equals the recursive Merkle root for every log length from 1 to 70', () => {
    for (let n = 1; n <= 70; n += 1) {
      const leaves = Array.from({ length: n }, (_, i) => `${i + 1}:${'ab'.repeat(32)}${i}`);
      expect(rootOf(leaves)).toBe(naiveRoot(leaves).toString('hex'));
    }
  });

  it('changes when a leaf changes, moves, or is added', () => {
    const leaves = ['1:aa', '2:bb', '3:cc', '4:dd', '5:ee'];
    const root = rootOf(leaves);
    expect(rootOf(['1:aa', '2:bb', '3:cx', '4:dd', '5:ee'])).not.toBe(root);
    expect(rootOf(['1:aa', '3:cc', '2:bb', '4:dd', '5:ee'])).not.toBe(root);
    expect(rootOf([...leaves, '6:ff'])).not.toBe(root);
    expect(rootOf(leaves)).toBe(root);
  });

  it('never lets a leaf pass for an inner node', () => {
    const pair = naiveRoot(['1:aa', '2:bb']);
    expect(rootOf([`\x01${pair.toString('binary')}`])).not.toBe(rootOf(['1:aa', '2:bb']));
  });
});
