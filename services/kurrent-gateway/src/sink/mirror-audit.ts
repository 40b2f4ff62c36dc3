import { streamNameFilter, StreamNotFoundError, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import {
  canonicalJson,
  compareCheckpoints,
  loadCheckpoint,
  START,
  type Checkpoint,
  type EventStore,
  type RecordedEvent,
} from '@tashghil/event-store';
import type { CategorySelection } from './categories';
import { sinkCheckpointName } from './kurrent-sink';

export interface MirrorAuditOptions {
  readonly store: EventStore;
  readonly client: KurrentDBClient;
  readonly categories: CategorySelection;
  /** Whose checkpoint says what must be mirrored already (every event at or before it). */
  readonly sink: string;
  /** Every event of the categories must be mirrored, whatever the sink's checkpoint. */
  readonly complete?: boolean;
  /** Streams compared at once. */
  readonly concurrency?: number;
}

export type MirrorAudit =
  | {
      readonly ok: true;
      readonly streams: number;
      /** Events found in the mirror, each the same as in the store. */
      readonly mirrored: number;
      /** Events the sink's checkpoint (or --complete) required, all found. */
      readonly required: number;
      /** Events of the store past the checkpoint not in the mirror yet. */
      readonly pending: number;
      readonly checkpoint: Checkpoint;
    }
  | { readonly ok: false; readonly stream: string; readonly revision?: number; readonly reason: string };

interface Mirrored {
  readonly id: string;
  readonly type: string;
  readonly revision: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

const readMirror = async (client: KurrentDBClient, stream: string): Promise<Mirrored[]> => {
  const found: Mirrored[] = [];
  try {
    for await (const r of client.readStream(stream)) {
      const e = r.event;
      if (e) found.push({ id: e.id, type: e.type, revision: Number(e.revision), data: e.data, metadata: e.metadata });
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return found;
};

/** Metadata the client found none of reads as an empty object, as the store holds it. */
const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? {}) === canonicalJson(b ?? {});

/** The first difference between a stream in the store and in the mirror, if any. */
const differenceIn = (
  stream: string,
  stored: readonly RecordedEvent[],
  mirrored: readonly Mirrored[],
  required: (e: RecordedEvent) => boolean,
): Extract<MirrorAudit, { ok: false }> | undefined => {
  for (const [i, m] of mirrored.entries()) {
    const s = stored[i];
    const at = { stream, revision: i };
    if (!s) return { ok: false, ...at, reason: `the mirror holds event ${m.id}, the store has no event there` };
    if (m.revision !== s.streamPosition)
      return { ok: false, ...at, reason: `the mirror has event ${m.id} at revision ${m.revision}` };
    if (m.id.toLowerCase() !== s.eventId)
      return { ok: false, ...at, reason: `event ${m.id} where the store has ${s.eventId}` };
    if (m.type !== s.type) return { ok: false, ...at, reason: `type ${m.type} where the store has ${s.type}` };
    if (!same(m.data, s.data)) return { ok: false, ...at, reason: `event ${s.eventId}'s data differs` };
    if (!same(m.metadata, s.metadata)) return { ok: false, ...at, reason: `event ${s.eventId}'s metadata differs` };
  }
  const missing = stored.slice(mirrored.length).find(required);
  return missing
    ? {
        ok: false,
        stream,
        revision: missing.streamPosition,
        reason: `event ${missing.eventId} is not in the mirror, though the sink's checkpoint is past it`,
      }
    : undefined;
};

const storedStreams = async (store: EventStore, categories: CategorySelection): Promise<string[]> => {
  const { rows } = await store.db.query<{ stream_id: string }>(
    `SELECT stream_id FROM es.streams WHERE category = ANY($1::text[]) OR category LIKE ANY($2::text[]) ORDER BY stream_id`,
    [categories.exact, categories.contexts.map((c) => `${c}.%`)],
  );
  return rows.map((r) => r.stream_id).filter((s) => categories.includes(s));
};

/** A mirror stream of the chosen categories that the store does not have, if any. */
const strangerIn = async (
  client: KurrentDBClient,
  categories: CategorySelection,
  known: ReadonlySet<string>,
): Promise<string | undefined> => {
  const prefixes = [...categories.exact.map((c) => `${c}-`), ...categories.contexts.map((c) => `${c}.`)];
  for await (const r of client.readAll({ filter: streamNameFilter({ prefixes }) })) {
    const stream = r.event?.streamId;
    if (stream !== undefined && categories.includes(stream) && !known.has(stream)) return stream;
  }
  return undefined;
};

/**
 * Compares a mirror (any KurrentDB server a sink feeds) with the store, stream by stream: every
 * event the mirror holds must be the store's event at that revision, with the same id, type, data
 * and metadata (personal fields sealed in both, as stored); every event at or before the sink's
 * checkpoint must be there; no stream of the categories may be in the mirror only.
 */
export const auditMirror = async (options: MirrorAuditOptions): Promise<MirrorAudit> => {
  const { store, client, categories } = options;
  const checkpoint = options.complete ? undefined : await loadCheckpoint(store.db, sinkCheckpointName(options.sink));
  const required = (e: RecordedEvent): boolean =>
    checkpoint === undefined || compareCheckpoints({ txId: e.txId, position: e.globalPosition }, checkpoint) <= 0;
  const streams = await storedStreams(store, categories);
  let mirroredCount = 0;
  let requiredCount = 0;
  let pending = 0;
  let found: Extract<MirrorAudit, { ok: false }> | undefined;
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < streams.length && !found; i = next++) {
      const stream = streams[i] as string;
      const [stored, mirrored] = await Promise.all([
        store.readStream(stream, { decrypt: false }),
        readMirror(client, stream),
      ]);
      found ??= differenceIn(stream, stored, mirrored, required);
      mirroredCount += mirrored.length;
      requiredCount += stored.filter(required).length;
      pending += Math.max(0, stored.length - mirrored.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, Math.max(streams.length, 1)) }, lane));
  if (found) return found;
  const stranger = await strangerIn(client, categories, new Set(streams));
  if (stranger) return { ok: false, stream: stranger, reason: 'the mirror holds this stream, the store does not' };
  return {
    ok: true,
    streams: streams.length,
    mirrored: mirroredCount,
    required: requiredCount,
    pending,
    checkpoint: checkpoint ?? START,
  };
};
