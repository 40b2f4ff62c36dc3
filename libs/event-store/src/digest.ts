import { createHash } from 'node:crypto';
import type { Queryable } from './sql-client';

const sha256 = (...parts: readonly (string | Buffer)[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * A Merkle root built as leaves arrive, holding one node per level: a log of any length is digested
 * in O(log n) memory. Leaves and inner nodes are hashed with different prefixes, so a leaf can never
 * pass for a subtree; an unpaired node is carried up unchanged.
 */
export class MerkleAccumulator {
  private readonly stack: { level: number; hash: Buffer }[] = [];
  private leaves = 0;

  add(leaf: string): void {
    let node = { level: 0, hash: sha256('\x00', leaf) };
    for (
      let top = this.stack[this.stack.length - 1];
      top && top.level === node.level;
      top = this.stack[this.stack.length - 1]
    ) {
      this.stack.pop();
      node = { level: node.level + 1, hash: sha256('\x01', top.hash, node.hash) };
    }
    this.stack.push(node);
    this.leaves += 1;
  }

  get count(): number {
    return this.leaves;
  }

  root(): string {
    let acc: Buffer | undefined;
    for (let i = this.stack.length - 1; i >= 0; i -= 1) {
      const node = this.stack[i];
      if (!node) continue;
      acc = acc ? sha256('\x01', node.hash, acc) : node.hash;
    }
    return (acc ?? sha256('')).toString('hex');
  }
}

export interface LogDigest {
  /** Merkle root over (global position, event hash), in global-position order. */
  readonly root: string;
  readonly events: number;
  readonly lastPosition: number;
  /**
   * Every transaction below this id had ended when the digest was taken, and the digest covers
   * exactly their events; a later check over the same horizon must give the same root.
   */
  readonly belowTx: string;
}

/**
 * Digests the whole log as it stands, or as it stood under an earlier digest's horizon. Only
 * finished transactions count, so an append still in flight with a lower position cannot make an
 * honest log look altered later.
 */
export const digestLog = async (
  db: Queryable,
  options: {
    readonly belowTx?: string;
    readonly pageSize?: number;
    readonly onProgress?: (events: number) => void;
  } = {},
): Promise<LogDigest> => {
  const horizon =
    options.belowTx ??
    (await db.query<{ xmin: string }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`)).rows[0]?.xmin ??
    '0';
  const acc = new MerkleAccumulator();
  const pageSize = options.pageSize ?? 10_000;
  // Honest positions start at 1; a forged row may carry any bigint, and it must be counted too.
  let after: string = String(-(2n ** 63n));
  let last = 0;
  for (;;) {
    // The position is selected as text under another name: ordering by a text column named
    // global_position would put 999 after 1479.
    const { rows } = await db.query<{ position: string; hash: string }>(
      `SELECT e.global_position::text AS position, encode(e.hash, 'hex') AS hash FROM es.events e
        WHERE e.tx_id < $1::xid8 AND e.global_position > $2::bigint ORDER BY e.global_position LIMIT $3`,
      [horizon, after, pageSize],
    );
    for (const r of rows) {
      acc.add(`${r.position}:${r.hash}`);
      after = r.position;
      last = Number(r.position);
    }
    options.onProgress?.(acc.count);
    if (rows.length < pageSize) break;
  }
  return { root: acc.root(), events: acc.count, lastPosition: last, belowTx: horizon };
};
