import type { Queryable } from '@tashghil/event-store';
import { metaStreamOf } from './stream-names';

/** The event a tombstone writes as a stream's last, as KurrentDB does. */
export const TOMBSTONE_TYPE = '$streamDeleted';
export const METADATA_TYPE = '$metadata';

/**
 * What a read or an append of an external stream must know first: its head, whether it was
 * tombstoned, and its KurrentDB stream metadata (`$tb` after a soft delete, `$maxCount`, `$maxAge`).
 * Only external streams can have metadata or a tombstone: the gateway refuses both on the others.
 */
export interface StreamState {
  /** -1 when the stream has no event. */
  readonly version: number;
  readonly tombstoned: boolean;
  /** The metadata stream's version, -1 when it has none. */
  readonly metaVersion: number;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export const EMPTY_STATE: StreamState = { version: -1, tombstoned: false, metaVersion: -1, metadata: {} };

export const readStreamState = async (db: Queryable, name: string): Promise<StreamState> => {
  const { rows } = await db.query<{
    version: string | null;
    last_type: string | null;
    meta_version: string | null;
    meta: Record<string, unknown> | null;
  }>(
    `SELECT (SELECT s.version::text FROM es.streams s WHERE s.stream_id = $1) AS version,
            (SELECT e.type FROM es.streams s JOIN es.events e ON e.stream_id = s.stream_id AND e.stream_position = s.version
              WHERE s.stream_id = $1) AS last_type,
            (SELECT s.version::text FROM es.streams s WHERE s.stream_id = $2) AS meta_version,
            (SELECT e.data FROM es.events e WHERE e.stream_id = $2 AND e.type = '${METADATA_TYPE}'
              ORDER BY e.stream_position DESC LIMIT 1) AS meta`,
    [name, metaStreamOf(name)],
  );
  const row = rows[0];
  const meta = row?.meta;
  return {
    version: row?.version == null ? -1 : Number(row.version),
    tombstoned: row?.last_type === TOMBSTONE_TYPE,
    metaVersion: row?.meta_version == null ? -1 : Number(row.meta_version),
    // Metadata that was not a JSON object is kept as bytes and means nothing to the gateway.
    metadata: meta && !('$bytes' in meta) ? meta : {},
  };
};

const whole = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;

/**
 * The first revision a read may show: after a soft delete's `$tb`, and within `$maxCount` of the
 * head. `$maxAge` is applied per event by `tooOld`.
 */
export const firstVisible = (state: StreamState): number => {
  const truncateBefore = whole(state.metadata.$tb) ?? 0;
  const maxCount = whole(state.metadata.$maxCount);
  return Math.max(truncateBefore, maxCount === undefined ? 0 : state.version - maxCount + 1);
};

export const tooOld = (state: StreamState, recordedAt: string, now = Date.now()): boolean => {
  const maxAge = whole(state.metadata.$maxAge);
  return maxAge !== undefined && Date.parse(recordedAt) < now - maxAge * 1000;
};

/** A stream whose every event is hidden by its metadata reads as not found, as after a soft delete. */
export const hasVisibleEvents = (state: StreamState): boolean =>
  state.version >= 0 && firstVisible(state) <= state.version;
