import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@tashghil/event-store';
import type { GatewayContext } from './context';
import { streamDeleted } from './errors';
import { nowTimestamp, type ReadOptions } from './messages';
import { encodePosition } from './positions';
import type { ReadSink } from './read-sink';
import { EMPTY_STATE, firstVisible, readStreamState, tooOld, type StreamState } from './stream-state';
import type { Target } from './stream-names';

type Readable = Exclude<Target, { kind: 'system' }>;

/**
 * The head and metadata that govern a read. Only external streams can have metadata or a tombstone,
 * so a service's stream costs the version lookup alone.
 */
const stateOf = async (ctx: GatewayContext, target: Readable): Promise<StreamState> => {
  if (target.kind === 'meta') {
    const of = target.external ? await readStreamState(ctx.store.db, target.of) : EMPTY_STATE;
    if (of.tombstoned) throw streamDeleted(target.name);
    return { ...EMPTY_STATE, version: target.external ? of.metaVersion : -1 };
  }
  if (!target.external) return { ...EMPTY_STATE, version: await ctx.store.streamVersion(target.stored) };
  const state = await readStreamState(ctx.store.db, target.stored);
  if (state.tombstoned) throw streamDeleted(target.name);
  return state;
};

/**
 * The `$all` positions of a page of stream events. Each transaction the page touches is ranked once
 * (its events need not be next to each other in a stream), so a large transaction costs one scan.
 */
const positionsOf = async (ctx: GatewayContext, events: readonly RecordedEvent[]): Promise<string[]> => {
  if (events.length === 0) return [];
  const { rows } = await ctx.store.db.query<{ tx: string; rank: number }>(
    `WITH p AS (SELECT e.tx_id AS t, e.global_position AS g, p.o
                  FROM unnest($1::bigint[]) WITH ORDINALITY AS p(gp, o) JOIN es.events e ON e.global_position = p.gp),
          r AS (SELECT x.global_position AS g, (row_number() OVER (PARTITION BY x.tx_id ORDER BY x.global_position) - 1)::int
                       AS rank
                  FROM es.events x WHERE x.tx_id IN (SELECT DISTINCT t FROM p))
     SELECT p.t::text AS tx, r.rank FROM p JOIN r ON r.g = p.g ORDER BY p.o`,
    [events.map((e) => e.globalPosition)],
  );
  return rows.map((r) => encodePosition(Number(r.tx), r.rank));
};

const sendPage = async (ctx: GatewayContext, sink: ReadSink, events: readonly RecordedEvent[]): Promise<void> => {
  const [shown, commits] = await Promise.all([ctx.personal.present(events), positionsOf(ctx, events)]);
  for (let i = 0; i < shown.length && !sink.gone; i += 1) {
    const event = shown[i];
    const commit = commits[i];
    if (event && commit) await sink.event(event, commit);
  }
};

const notFound = (sink: ReadSink, name: string): Promise<void> =>
  sink.send({ stream_not_found: { stream_identifier: { stream_name: Buffer.from(name) } } });

/**
 * A plain read of one stream, forwards or backwards from a revision (inclusive), the start or the
 * end. A stream that does not exist, or whose every event its metadata hides (a soft delete), is
 * answered `stream_not_found`, the only other message the clients accept on a read.
 */
export const readStream = async (
  ctx: GatewayContext,
  target: Readable,
  options: ReadOptions,
  sink: ReadSink,
): Promise<void> => {
  const state = await stateOf(ctx, target);
  const first = firstVisible(state);
  if (state.version < 0 || first > state.version) {
    await notFound(sink, target.name);
    return sink.end();
  }
  const backwards = options.read_direction === 1;
  const stream = options.stream ?? {};
  let remaining = Math.min(Number(options.count ?? Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
  const from = stream.revision_option;
  let at =
    from === 'revision'
      ? Number(stream.revision)
      : from === 'end'
        ? state.version + (backwards ? 0 : 1)
        : from === 'start' || !backwards
          ? 0
          : state.version;
  if (!backwards) at = Math.max(at, first);
  const now = Date.now();
  while (remaining > 0 && !sink.gone && (backwards ? at >= first : at <= state.version)) {
    const size = Math.min(remaining, ctx.limits.readBatch);
    const page = await ctx.store.readStream(target.stored, {
      direction: backwards ? 'backwards' : 'forwards',
      fromPosition: at,
      maxCount: size,
      decrypt: false,
    });
    const visible = page.filter((e) => e.streamPosition >= first && !tooOld(state, e.recordedAt, now));
    await sendPage(ctx, sink, visible.slice(0, remaining));
    remaining -= visible.length;
    if (page.length < size) break;
    const last = page[page.length - 1];
    if (!last) break;
    at = backwards ? last.streamPosition - 1 : last.streamPosition + 1;
  }
  sink.end();
};

/**
 * A catch-up subscription to one stream: after a revision (exclusive), from the start or from the
 * end; `caught_up` at the head with the last revision, then live. Events are read by stream
 * position, which is commit-safe within a stream: an append holds the stream's head until it commits.
 */
export const subscribeToStream = async (
  ctx: GatewayContext,
  target: Readable,
  options: ReadOptions,
  sink: ReadSink,
): Promise<void> => {
  const initial = await stateOf(ctx, target);
  const stream = options.stream ?? {};
  let last =
    stream.revision_option === 'revision'
      ? Number(stream.revision)
      : stream.revision_option === 'end'
        ? initial.version
        : -1;
  last = Math.max(last, firstVisible(initial) - 1);
  await sink.confirm(randomUUID());
  let caughtUp = false;
  const wait = ctx.hub.follower(ctx.limits.pollMs, sink.signal);
  while (!sink.gone) {
    const seen = ctx.hub.seen;
    const page = await ctx.store.readStream(target.stored, {
      fromPosition: last + 1,
      maxCount: ctx.limits.readBatch,
      decrypt: false,
    });
    await sendPage(ctx, sink, page);
    const tail = page[page.length - 1];
    if (tail) last = tail.streamPosition;
    if (page.length === ctx.limits.readBatch) continue;
    if (!caughtUp) {
      caughtUp = true;
      sink.caughtUp();
      await sink.send({ caught_up: { timestamp: nowTimestamp(), ...(last >= 0 ? { stream_revision: last } : {}) } });
    }
    await wait(seen, page.length);
  }
};
