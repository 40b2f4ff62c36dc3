import { chainHash, EVENT_COLUMNS, rowToEvent, type EventRow } from './event-rows';
import type { Queryable } from './sql-client';
import type { VerifyResult } from './types';

interface VerifyRow extends EventRow {
  head_version: string | null;
  head_hash: string | null;
}

type Broken = NonNullable<VerifyResult['firstBroken']>;

/**
 * Recomputes every stream's chain from its first event, and checks each stream head against its
 * last event, so an altered, removed or inserted row is named by the first link it breaks.
 */
export const verifyChains = async (db: Queryable, pageSize = 5_000): Promise<VerifyResult> => {
  let streams = 0;
  let events = 0;
  let after: { streamId: string; position: number } = { streamId: '', position: -1 };
  let current:
    | {
        streamId: string;
        expected: number;
        lastHash: string | null;
        lastPosition: number;
        lastTx: number;
        head: [string | null, string | null];
      }
    | undefined;

  const closeStream = (): Broken | undefined => {
    if (!current) return undefined;
    const [headVersion, headHash] = current.head;
    if (headVersion === null || Number(headVersion) !== current.expected - 1 || headHash !== current.lastHash) {
      return {
        streamId: current.streamId,
        streamPosition: current.expected - 1,
        reason: `stream head (version ${headVersion ?? 'missing'}) does not match its last event`,
      };
    }
    return undefined;
  };

  for (;;) {
    const { rows } = await db.query<VerifyRow>(
      `SELECT ${EVENT_COLUMNS}, s.version::text AS head_version, encode(s.last_hash, 'hex') AS head_hash
         FROM es.events e LEFT JOIN es.streams s ON s.stream_id = e.stream_id
        WHERE (e.stream_id, e.stream_position) > ($1, $2::bigint)
        ORDER BY e.stream_id, e.stream_position LIMIT $3`,
      [after.streamId, after.position, pageSize],
    );
    for (const row of rows) {
      const e = rowToEvent(row);
      if (current?.streamId !== e.streamId) {
        const broken = closeStream();
        if (broken) return { ok: false, streams, events, firstBroken: broken };
        current = {
          streamId: e.streamId,
          expected: 0,
          lastHash: null,
          lastPosition: 0,
          lastTx: 0,
          head: [row.head_version, row.head_hash],
        };
        streams += 1;
      }
      const at = { streamId: e.streamId, streamPosition: e.streamPosition, globalPosition: e.globalPosition };
      if (e.streamPosition !== current.expected) {
        return {
          ok: false,
          streams,
          events,
          firstBroken: { ...at, reason: `expected stream position ${current.expected}` },
        };
      }
      if (e.prevHash !== current.lastHash) {
        return {
          ok: false,
          streams,
          events,
          firstBroken: { ...at, reason: 'previous hash does not match the link before it' },
        };
      }
      if (chainHash(e.prevHash, e) !== e.hash) {
        return { ok: false, streams, events, firstBroken: { ...at, reason: 'content does not match its hash' } };
      }
      // A stream's appends take ever later places in the log: a link slipped in behind an older one
      // (a forged position, or an old transaction id) is out of order even when its hashes hold.
      if (e.streamPosition > 0 && (e.globalPosition <= current.lastPosition || e.txId < current.lastTx)) {
        return {
          ok: false,
          streams,
          events,
          firstBroken: {
            ...at,
            reason: `out of order: recorded before the link it follows (global position ${current.lastPosition})`,
          },
        };
      }
      current.expected += 1;
      current.lastHash = e.hash;
      current.lastPosition = e.globalPosition;
      current.lastTx = e.txId;
      events += 1;
      after = { streamId: e.streamId, position: e.streamPosition };
    }
    if (rows.length < pageSize) break;
  }
  const broken = closeStream();
  if (broken) return { ok: false, streams, events, firstBroken: broken };

  const { rows: orphans } = await db.query<{ stream_id: string; version: string }>(
    `SELECT s.stream_id, s.version::text AS version FROM es.streams s
      WHERE NOT EXISTS (SELECT 1 FROM es.events e WHERE e.stream_id = s.stream_id) LIMIT 1`,
  );
  const orphan = orphans[0];
  if (orphan) {
    return {
      ok: false,
      streams,
      events,
      firstBroken: {
        streamId: orphan.stream_id,
        streamPosition: 0,
        reason: `stream head at version ${orphan.version} has no events`,
      },
    };
  }
  return { ok: true, streams, events };
};
