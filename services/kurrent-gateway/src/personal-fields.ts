import { ERASED, isSealed, sealedSubjects, type Queryable } from '@tashghil/event-store';

/** The field where a sealed value names its subject (personal-data.ts, SealedValue). */
const SEALED_MARK = '"$pii"';

type WithData = { readonly data: Record<string, unknown> | string };

/**
 * Personal fields leave the gateway as they leave on Kafka: sealed, readable only with the store's
 * keys, which the gateway never uses. A field whose subject was erased reads as ERASED in place of a
 * ciphertext nobody can open. Erasure is permanent, so subjects found erased are remembered.
 */
export class PersonalFields {
  private readonly erased = new Set<string>();

  constructor(
    private readonly db: Queryable,
    private readonly rememberAtMost = 100_000,
  ) {}

  async present<T extends WithData>(events: readonly T[]): Promise<readonly T[]> {
    const subjects = new Set<string>();
    const parsed = events.map((e) => {
      // Text without the seal's key holds no personal field: it passes without a parse.
      if (typeof e.data === 'string' && !e.data.includes(SEALED_MARK)) return undefined;
      const data = typeof e.data === 'string' ? (JSON.parse(e.data) as Record<string, unknown>) : e.data;
      const before = subjects.size;
      sealedSubjects(data, subjects);
      return subjects.size > before || typeof e.data !== 'string' ? data : undefined;
    });
    if (subjects.size === 0) return events;
    const unknown = [...subjects].filter((s) => !this.erased.has(s));
    if (unknown.length > 0) {
      const { rows } = await this.db.query<{ subject_id: string }>(
        `SELECT subject_id FROM es.subject_keys WHERE subject_id = ANY($1::text[]) AND wrapped_key IS NULL`,
        [unknown],
      );
      if (this.erased.size + rows.length > this.rememberAtMost) this.erased.clear();
      for (const r of rows) this.erased.add(r.subject_id);
    }
    if (![...subjects].some((s) => this.erased.has(s))) return events;
    return events.map((e, i) => {
      const data = parsed[i];
      return data ? { ...e, data: this.blank(data) as Record<string, unknown> } : e;
    });
  }

  private blank(value: unknown): unknown {
    if (isSealed(value)) return this.erased.has(value.$pii.s) ? ERASED : value;
    if (Array.isArray(value)) return value.map((v) => this.blank(v));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.blank(v)]));
    }
    return value;
  }
}
