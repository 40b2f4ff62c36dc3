import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './sql-client';

/** What a personal field reads as once its subject's key is gone. */
export const ERASED = '[erased]';

export interface SealedValue {
  readonly $pii: { readonly s: string; readonly iv: string; readonly ct: string; readonly tag: string };
}

export const isSealed = (v: unknown): v is SealedValue =>
  typeof v === 'object' && v !== null && '$pii' in v && typeof (v as SealedValue).$pii?.ct === 'string';

/**
 * Random bytes cut from one buffer drawn at a time, and a new buffer once it is spent. A
 * `randomBytes` call costs about 2.3 µs of CPU whatever its size up to a few KiB, a seeker's
 * registration made six (its key, the key's wrapping IV, four field IVs), and sealing took 10% of a
 * 20,000-seeker import's CPU (issue 15; measured 2026-12-05). Each byte is handed out once: the
 * offset only grows, a refill is a new buffer (never rewritten in place), and a slice is copied
 * out and zeroed in the pool, so no IV or key stays behind in it. The pool fills on first use, in
 * the process that uses it.
 */
const randomPool = (size: number): ((n: number) => Buffer) => {
  let pool = Buffer.alloc(0);
  let next = 0;
  return (n) => {
    if (n > size) return randomBytes(n);
    if (next + n > pool.length) {
      pool = randomBytes(size);
      next = 0;
    }
    const bytes = Buffer.from(pool.subarray(next, next + n));
    pool.fill(0, next, next + n);
    next += n;
    return bytes;
  };
};

const randomFromPool = randomPool(32 * 1024);

const IV_BYTES = 12;
const KEY_BYTES = 32;

const seal = (key: Buffer, plain: Buffer | string): { iv: Buffer; ct: Buffer; tag: Buffer } => {
  const iv = randomFromPool(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const head = typeof plain === 'string' ? cipher.update(plain, 'utf8') : cipher.update(plain);
  // GCM is a stream mode: final() gives no bytes, so the ciphertext is update's, with no copy.
  const tail = cipher.final();
  return { iv, ct: tail.length === 0 ? head : Buffer.concat([head, tail]), tag: cipher.getAuthTag() };
};

const open = (key: Buffer, iv: Buffer, ct: Buffer, tag: Buffer): Buffer => {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
};

/**
 * Per-subject data keys, stored wrapped by one master key. Erasing a subject deletes its wrapped key:
 * every copy of its ciphertext, in the store, on Kafka or in a backup, becomes unreadable at once,
 * while the rows (and so the hash chains over them) stay as they were.
 */
export class SubjectKeyring {
  private readonly master: Buffer;

  constructor(masterKey: string) {
    const raw = Buffer.from(masterKey, 'base64');
    // A key that is not 32 bytes of base64 is treated as a passphrase.
    this.master = raw.length === 32 ? raw : createHash('sha256').update(masterKey).digest();
  }

  private wrap(key: Buffer): Buffer {
    const { iv, ct, tag } = seal(this.master, key);
    return Buffer.concat([iv, tag, ct]);
  }

  private unwrap(wrapped: Buffer): Buffer {
    return open(this.master, wrapped.subarray(0, 12), wrapped.subarray(28), wrapped.subarray(12, 28));
  }

  private fresh(): { key: Buffer; wrapped: string } {
    const key = randomFromPool(KEY_BYTES);
    return { key, wrapped: this.wrap(key).toString('hex') };
  }

  /** The subject's key, created on first use. Refuses a subject that was erased. */
  async keyFor(tx: Queryable, subjectId: string): Promise<Buffer> {
    const key = (await this.keysFor(tx, [subjectId])).get(subjectId);
    if (!key) throw new Error(`no key for data subject ${subjectId}`);
    return key;
  }

  /**
   * The keys of several subjects in one statement, each created on first use; refuses the lot if
   * one of them was erased. Keys are created in subject order, so two appends creating the same
   * keys in a different order cannot deadlock.
   */
  async keysFor(tx: Queryable, subjectIds: readonly string[]): Promise<Map<string, Buffer>> {
    const ids = [...new Set(subjectIds)].sort();
    const fresh = new Map(ids.map((id) => [id, this.fresh()]));
    // A key this statement created is the fresh one sent: it is used as it is, not read back and
    // unwrapped (one AES-GCM open less per new subject). Each stored key is looked up by its primary
    // key (the LATERAL ... LIMIT 1): joined plainly, a table whose statistics lagged behind its
    // growth (a new store's first import, before autovacuum analysed it) was read whole for every
    // chunk, 4.1 million rows read over a 50,000-seeker import (2026-12-05).
    const { rows } = await tx.query<{ subject_id: string; k: string | null; seen: boolean; created: boolean }>(
      `WITH wanted AS (SELECT w.subject_id, w.fresh FROM unnest($1::text[], $2::text[]) AS w(subject_id, fresh)),
            created AS (
              INSERT INTO es.subject_keys (subject_id, wrapped_key)
              SELECT w.subject_id, decode(w.fresh, 'hex') FROM wanted w ORDER BY w.subject_id
              ON CONFLICT (subject_id) DO NOTHING
              RETURNING subject_id)
       SELECT w.subject_id, CASE WHEN c.subject_id IS NULL THEN encode(k.wrapped_key, 'hex') END AS k,
              (c.subject_id IS NOT NULL OR k.subject_id IS NOT NULL) AS seen, c.subject_id IS NOT NULL AS created
         FROM wanted w
         LEFT JOIN created c ON c.subject_id = w.subject_id
         LEFT JOIN LATERAL (
           SELECT s.subject_id, s.wrapped_key FROM es.subject_keys s WHERE s.subject_id = w.subject_id LIMIT 1
         ) k ON true`,
      [ids, [...fresh.values()].map((f) => f.wrapped)],
    );
    // A key committed by another transaction while this statement waited for it is not in the
    // statement's snapshot; the next statement sees it.
    const unseen = rows.filter((r) => !r.seen).map((r) => r.subject_id);
    const late =
      unseen.length === 0
        ? []
        : (
            await tx.query<{ subject_id: string; k: string | null }>(
              `SELECT subject_id, encode(wrapped_key, 'hex') AS k FROM es.subject_keys WHERE subject_id = ANY($1::text[])`,
              [unseen],
            )
          ).rows;
    const keys = new Map<string, Buffer>();
    for (const r of rows) {
      const created = r.created ? fresh.get(r.subject_id) : undefined;
      if (created) keys.set(r.subject_id, created.key);
    }
    for (const r of [...rows.filter((x) => x.seen && !x.created), ...late]) {
      if (!r.k) throw new Error(`data subject ${r.subject_id} was erased; no new personal data may be stored for it`);
      keys.set(r.subject_id, this.unwrap(Buffer.from(r.k, 'hex')));
    }
    return keys;
  }

  async loadKeys(db: Queryable, subjectIds: readonly string[]): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    if (subjectIds.length === 0) return keys;
    const { rows } = await db.query<{ subject_id: string; k: string | null }>(
      `SELECT subject_id, encode(wrapped_key, 'hex') AS k FROM es.subject_keys WHERE subject_id = ANY($1::text[])`,
      [subjectIds],
    );
    for (const r of rows) if (r.k) keys.set(r.subject_id, this.unwrap(Buffer.from(r.k, 'hex')));
    return keys;
  }

  async erase(db: Queryable, subjectId: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE es.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject_id = $1 AND wrapped_key IS NOT NULL`,
      [subjectId],
    );
    // A subject that never stored anything is still barred from storing anything later.
    await db.query(
      `INSERT INTO es.subject_keys (subject_id, wrapped_key, erased_at) VALUES ($1, NULL, now()) ON CONFLICT (subject_id) DO NOTHING`,
      [subjectId],
    );
    return rowCount > 0;
  }

  sealFields(
    key: Buffer,
    subjectId: string,
    data: Record<string, unknown>,
    fields: readonly string[],
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { ...data };
    for (const field of fields) {
      if (!(field in out) || out[field] === undefined) continue;
      const { iv, ct, tag } = seal(key, JSON.stringify(out[field]));
      const sealed: SealedValue = {
        $pii: { s: subjectId, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: tag.toString('base64') },
      };
      out[field] = sealed;
    }
    return out;
  }
}

/** Subject ids referenced by sealed values anywhere in `value`. */
export const sealedSubjects = (value: unknown, into: Set<string> = new Set()): Set<string> => {
  if (isSealed(value)) into.add(value.$pii.s);
  else if (Array.isArray(value)) for (const v of value) sealedSubjects(v, into);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) sealedSubjects(v, into);
  return into;
};

/** Replaces each sealed value by its plain value, or by ERASED when the key is gone. */
export const openSealed = (value: unknown, keys: ReadonlyMap<string, Buffer>): unknown => {
  if (isSealed(value)) {
    const key = keys.get(value.$pii.s);
    if (!key) return ERASED;
    const { iv, ct, tag } = value.$pii;
    const plain = open(key, Buffer.from(iv, 'base64'), Buffer.from(ct, 'base64'), Buffer.from(tag, 'base64'));
    return JSON.parse(plain.toString('utf8')) as unknown;
  }
  if (Array.isArray(value)) return value.map((v) => openSealed(v, keys));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, openSealed(v, keys)]));
  }
  return value;
};
