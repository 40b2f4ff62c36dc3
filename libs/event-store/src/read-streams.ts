import { EVENT_COLUMNS, rowToEvent, type EventRow } from './event-rows';
import type { EventStore } from './event-store';
import type { Queryable } from './sql-client';
import { NO_STREAM_VERSION, type RecordedEvent } from './types';

export interface StreamsRead {
  /** Each stream asked for, with its events oldest first (none for a stream that does not exist). */
  readonly streams: ReadonlyMap<string, { readonly events: readonly RecordedEvent[]; readonly version: number }>;
  /** For each event id asked about that is stored, the stream it is stored in. */
  readonly stored: ReadonlyMap<string, string>;
}

/**
 * Many streams and an idempotency probe in one round trip: every event of the streams, and where
 * each of the probed event ids is stored, if anywhere.
 *
 * Inside a caller's transaction (`tx`) the streams' heads are locked first, in stream id order, so
 * nothing appends to them between this read and the caller's append: a consumer in its inbox
 * transaction never meets a version conflict on a stream that exists, and two such transactions
 * never wait on each other in a cycle.
 *
 * The events come as stored: personal fields sealed (only the store's keyring opens them, and no
 * decider decides on one) and not upcast (no service registers an upcaster yet). See `handleWorkflow`
 * for how a state shown to a client gets its personal fields back.
 */
export const readStreams = async (
  store: EventStore,
  streamIds: readonly string[],
  probeEventIds: readonly string[],
  tx?: Queryable,
): Promise<StreamsRead> => {
  const queryable = tx ?? store.db;
  if (tx && streamIds.length > 0) {
    await tx.query(`SELECT stream_id FROM es.streams WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE`, [
      [...streamIds].sort(),
    ]);
  }
  const { rows } = await queryable.query<{ probe: string | null; probe_stream: string | null; event: EventRow | null }>(
    `SELECT p.event_id::text AS probe, p.stream_id AS probe_stream, NULL::jsonb AS event, NULL::text AS sid, NULL::bigint AS pos
       FROM es.events p WHERE p.event_id = ANY($2::uuid[])
     UNION ALL
     SELECT NULL, NULL, to_jsonb(r), r.stream_id, r.pos
       FROM (SELECT ${EVENT_COLUMNS}, e.stream_position AS pos FROM es.events e WHERE e.stream_id = ANY($1::text[])) r
     ORDER BY sid NULLS FIRST, pos`,
    [streamIds, probeEventIds.map((id) => id.toLowerCase())],
  );
  const stored = new Map<string, string>();
  const events = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
  for (const row of rows) {
    if (row.probe !== null && row.probe_stream !== null) stored.set(row.probe, row.probe_stream);
    if (row.event) events.get(row.event.stream_id)?.push(rowToEvent(row.event));
  }
  const streams = new Map(
    [...events].map(([streamId, stored]) => [
      streamId,
      { events: stored, version: stored.at(-1)?.streamPosition ?? NO_STREAM_VERSION },
    ]),
  );
  // The heads just read let the append that follows chain from them without asking the database.
  for (const [streamId, stream] of events) store.rememberHead(streamId, stream.at(-1));
  return { streams, stored };
};
