import {
  jsonEvent,
  WrongExpectedVersionError,
  type AppendStreamState,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import type { RecordedEvent } from '@tashghil/event-store';

/** Why a sink cannot go on without an operator: the target stream is not a copy of the store's. */
export class MirrorDivergedError extends Error {
  constructor(
    readonly code: 'MIRROR_BEHIND' | 'MIRROR_DIVERGED',
    message: string,
  ) {
    super(message);
  }
}

const proposed = (e: RecordedEvent) => jsonEvent({ id: e.eventId, type: e.type, data: e.data, metadata: e.metadata });

/** The revision a stream is at before `first`: KurrentDB revisions are 0-based, as Tashghil's positions. */
const before = (first: number): AppendStreamState => (first === 0 ? 'no_stream' : BigInt(first - 1));

const headOf = (error: WrongExpectedVersionError): number =>
  error.actualState === 'no_stream' || typeof error.actualState !== 'bigint' ? -1 : Number(error.actualState);

/** The ids the target holds from revision `from` to `to` (both inclusive). */
const heldIds = async (client: KurrentDBClient, stream: string, from: number, to: number): Promise<string[]> => {
  const ids: string[] = [];
  for await (const r of client.readStream(stream, { fromRevision: BigInt(from), maxCount: to - from + 1 })) {
    if (r.event) ids.push(r.event.id.toLowerCase());
  }
  return ids;
};

/**
 * Appends one stream's events (consecutive, in stream order) at the revisions they hold in the
 * store, expecting exactly the revision before the first: a retry of an append the target took is
 * answered as the first time (KurrentDB's idempotence by event id at an expected revision), and a
 * target that took only a prefix (a batch cut elsewhere before a restart) is checked id by id and
 * given the rest. A target that lacks earlier events, or holds others, stops the sink: it is not a
 * mirror any more, and appending on would hide it.
 */
export const mirrorStream = async (
  client: KurrentDBClient,
  stream: string,
  events: readonly RecordedEvent[],
): Promise<void> => {
  const first = events[0];
  if (!first) return;
  try {
    await client.appendToStream(stream, events.map(proposed), { streamState: before(first.streamPosition) });
    return;
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    const head = headOf(error);
    if (head < first.streamPosition - 1) {
      throw new MirrorDivergedError(
        'MIRROR_BEHIND',
        `${stream} ends at revision ${head} in the target but the store has it at ${first.streamPosition - 1}: events are missing there`,
      );
    }
    const last = events[events.length - 1]?.streamPosition ?? first.streamPosition;
    const held = await heldIds(client, stream, first.streamPosition, Math.min(head, last));
    held.forEach((id, i) => {
      const mine = events[i];
      if (mine?.eventId !== id)
        throw new MirrorDivergedError(
          'MIRROR_DIVERGED',
          `${stream} revision ${first.streamPosition + i} holds event ${id} in the target, ${mine?.eventId} in the store`,
        );
    });
    const rest = events.filter((e) => e.streamPosition > head);
    if (rest.length > 0) await client.appendToStream(stream, rest.map(proposed), { streamState: BigInt(head) });
  }
};
