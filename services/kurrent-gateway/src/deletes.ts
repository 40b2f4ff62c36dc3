import { randomUUID } from 'node:crypto';
import type { ExpectedVersion } from '@tashghil/event-store';
import type { Caller } from './access';
import { appendEvents, writableTarget } from './appends';
import type { GatewayContext } from './context';
import { accessDenied, streamDeleted, wrongExpectedVersion } from './errors';
import { gatewayEvent } from './event-shape';
import { hasVisibleEvents, METADATA_TYPE, readStreamState, TOMBSTONE_TYPE } from './stream-state';
import { metaStreamOf } from './stream-names';

/** KurrentDB's numbers for the expectations in error trailers (AnyStreamRevision: any -2, no stream -1, exists -4). */
const expectedNumber = (e: ExpectedVersion): number =>
  e === 'any' ? -2 : e === 'no_stream' ? -1 : e === 'stream_exists' ? -4 : e;

/**
 * Soft delete and tombstone, for external streams only; every service stream is refused, since the
 * store is append-only. Neither removes a row: a soft delete appends `$tb` (truncate before) to the
 * stream's metadata stream, hiding the events before it from stream reads while later appends
 * continue the numbering; a tombstone appends a final `$streamDeleted` event to the stream, after
 * which every read, append and delete of it fails with stream-deleted. Both are ordinary appends, so
 * every chain still verifies and `$all` still holds every event, as KurrentDB's does until a scavenge.
 */
export const deleteStream = async (
  ctx: GatewayContext,
  caller: Caller,
  name: string,
  expected: ExpectedVersion,
  kind: 'delete' | 'tombstone',
): Promise<string | undefined> => {
  const target = writableTarget(ctx, name, caller, kind === 'delete' ? 'delete' : 'tombstone');
  if (target.kind !== 'stream') throw accessDenied(`${name} is a metadata stream; delete the stream it describes`);
  const state = await readStreamState(ctx.store.db, target.stored);
  if (state.tombstoned) throw streamDeleted(name);
  const visible = hasVisibleEvents(state);
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && (state.version < 0 || !visible)) ||
    (expected === 'stream_exists' && visible) ||
    expected === state.version;
  const operation = kind === 'delete' ? 'Delete' : 'Tombstone';
  if (!holds) throw wrongExpectedVersion(operation, name, expectedNumber(expected), state.version);
  const result =
    kind === 'delete'
      ? await appendEvents(
          ctx,
          { kind: 'meta', name: `$$${name}`, of: name, stored: metaStreamOf(name), external: true },
          state.metaVersion < 0 ? 'no_stream' : state.metaVersion,
          [gatewayEvent(randomUUID(), METADATA_TYPE, { ...state.metadata, $tb: state.version + 1 }, caller.sub)],
        )
      : await appendEvents(ctx, target, state.version < 0 ? 'no_stream' : state.version, [
          gatewayEvent(randomUUID(), TOMBSTONE_TYPE, {}, caller.sub),
        ]);
  if (!result.ok) throw wrongExpectedVersion(operation, name, expectedNumber(expected), result.current);
  return result.position;
};
