import { randomUUID } from 'node:crypto';
import { readAllBackwards, readAllForwards, type AllBatch } from './all-reader';
import type { GatewayContext } from './context';
import { compileFilter, type AllFilter } from './filters';
import { nowTimestamp, type ReadOptions } from './messages';
import { cursorFor, encodeCursor, headCursor, START_CURSOR, type Cursor } from './positions';
import type { ReadSink } from './read-sink';
import { exposedName } from './stream-names';

const matching = (batch: AllBatch, filter: AllFilter | undefined): AllBatch['events'] =>
  filter ? batch.events.filter(({ event }) => filter.matches(exposedName(event.streamId), event.type)) : batch.events;

const countOf = (options: ReadOptions): number => {
  const n = Number(options.count ?? Number.MAX_SAFE_INTEGER);
  return Number.isFinite(n) && n > 0 ? Math.min(n, Number.MAX_SAFE_INTEGER) : 0;
};

/**
 * A plain read of `$all`: forwards from the start or a position (inclusive), or backwards from the
 * end or a position (exclusive), at most `count` matching events. The next batch is fetched while
 * this one is written, so the store and the client work at once.
 */
export const readAll = async (ctx: GatewayContext, options: ReadOptions, sink: ReadSink): Promise<void> => {
  const filter = compileFilter(options.filter_option === 'filter' ? options.filter : undefined);
  let remaining = countOf(options);
  const all = options.all ?? {};
  const backwards = options.read_direction === 1;
  const batchSize = ctx.limits.readBatch;
  const fetch = async (from: Cursor | 'end'): Promise<AllBatch> => {
    const size = filter ? batchSize : Math.min(batchSize, remaining);
    if (backwards) return readAllBackwards(ctx.store.db, from, size);
    if (from === 'end') return { events: [], cursor: START_CURSOR, reachedHead: true };
    return readAllForwards(ctx.store.db, from, size);
  };
  let start: Cursor | 'end';
  if (all.all_option === 'position' && all.position?.commit_position !== undefined) {
    start = await cursorFor(ctx.store.db, all.position.commit_position, backwards ? 'exclusive' : 'inclusive');
  } else if (all.all_option === 'end') start = 'end';
  else start = backwards ? 'end' : START_CURSOR;

  let next: Promise<AllBatch> | undefined = remaining > 0 ? fetch(start) : undefined;
  while (next && !sink.gone) {
    const batch = await next;
    next = batch.reachedHead || batch.events.length === 0 ? undefined : fetch(batch.cursor);
    const found = matching(batch, filter);
    const events = await ctx.personal.present(found.map((e) => e.event));
    for (let i = 0; i < found.length && remaining > 0; i += 1) {
      const event = events[i];
      const entry = found[i];
      if (!event || !entry) break;
      await sink.event(event, entry.commit);
      remaining -= 1;
    }
    if (remaining <= 0) next = undefined;
  }
  await next?.catch(() => undefined);
  sink.end();
};

/**
 * A catch-up subscription to `$all`: from the start, the end or after a position; events in commit
 * order, `caught_up` once it reaches the head, then live, woken by every append. A filtered
 * subscription also sends checkpoints: every `checkpointInterval` events scanned and on reaching the
 * head, each at the last event scanned, never past an event it has not sent.
 */
export const subscribeToAll = async (ctx: GatewayContext, options: ReadOptions, sink: ReadSink): Promise<void> => {
  const filter = compileFilter(options.filter_option === 'filter' ? options.filter : undefined);
  const all = options.all ?? {};
  let cursor: Cursor;
  if (all.all_option === 'position' && all.position?.commit_position !== undefined) {
    cursor = await cursorFor(ctx.store.db, all.position.commit_position, 'exclusive');
  } else if (all.all_option === 'end') cursor = await headCursor(ctx.store.db);
  else cursor = START_CURSOR;
  await sink.confirm(randomUUID());
  let caughtUp = false;
  let scanned = 0;
  let lastCheckpoint = '';
  const wait = ctx.hub.follower(ctx.limits.pollMs, sink.signal);
  const checkpoint = async (): Promise<void> => {
    if (cursor.txId === 0) return;
    const at = encodeCursor(cursor);
    if (at === lastCheckpoint) return;
    lastCheckpoint = at;
    await sink.checkpoint(at);
  };
  while (!sink.gone) {
    const seen = ctx.hub.seen;
    const batch = await readAllForwards(ctx.store.db, cursor, ctx.limits.readBatch);
    const found = matching(batch, filter);
    const events = await ctx.personal.present(found.map((e) => e.event));
    for (let i = 0; i < found.length && !sink.gone; i += 1) {
      const event = events[i];
      const entry = found[i];
      if (event && entry) await sink.event(event, entry.commit);
    }
    cursor = batch.cursor;
    if (filter) {
      scanned += batch.events.length;
      if (scanned >= filter.checkpointInterval) {
        scanned %= filter.checkpointInterval;
        await checkpoint();
      }
    }
    if (!batch.reachedHead) continue;
    if (!caughtUp) {
      caughtUp = true;
      sink.caughtUp();
      if (filter) await checkpoint();
      await sink.send({
        caught_up: {
          timestamp: nowTimestamp(),
          ...(cursor.txId === 0
            ? {}
            : {
                position: {
                  commit_position: encodeCursor(cursor),
                  prepare_position: encodeCursor(cursor),
                },
              }),
        },
      });
    }
    await wait(seen, batch.events.length);
  }
};
