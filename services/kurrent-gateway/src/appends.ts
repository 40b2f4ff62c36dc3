import { status } from '@grpc/grpc-js';
import {
  IdempotencyConflictError,
  ValidationError,
  WrongExpectedVersionError,
  type ExpectedVersion,
  type NewEvent,
} from '@tashghil/event-store';
import type { Caller } from './access';
import type { GatewayContext } from './context';
import { accessDenied, invalidArgument, maximumAppendSizeExceeded, RpcError, streamDeleted } from './errors';
import { proposedSize, toNewEvent } from './event-shape';
import type { ProposedMessage } from './messages';
import { positionOfEvent } from './positions';
import { hasVisibleEvents, readStreamState, type StreamState } from './stream-state';
import { resolveTarget, type Target } from './stream-names';

export type Appended =
  | {
      readonly ok: true;
      readonly revision: number;
      readonly position: string | undefined;
      /** Events stored by this append: none when it repeats one already stored. */
      readonly written: number;
    }
  | { readonly ok: false; readonly current: number };

type Writable = Extract<Target, { kind: 'stream' | 'meta' }>;

/**
 * The stream a client may write, or the reason it may not: only streams of the external categories
 * (and their metadata streams). A service's categories are written through its deciders only.
 */
export const writableTarget = (ctx: GatewayContext, name: string, caller: Caller, verb: string): Writable => {
  ctx.access.mayWrite(caller);
  const target = resolveTarget(ctx.external, name);
  if (target.kind === 'system') throw accessDenied(`${name} is a system stream; Tashghil's store has none to ${verb}`);
  if (!target.external) {
    const stream = target.kind === 'meta' ? target.of : target.name;
    throw accessDenied(
      `Tashghil's event store is append-only and ${stream} belongs to a Tashghil service, whose deciders alone write it; clients may ${verb} only streams of the external categories (${ctx.external.patterns.join(', ')})`,
    );
  }
  return target;
};

/** The state that decides an append: the stream's own for a stream, the described stream's for `$$`. */
const stateFor = async (ctx: GatewayContext, target: Writable): Promise<{ state: StreamState; version: number }> => {
  if (target.kind === 'meta') {
    const of = await readStreamState(ctx.store.db, target.of);
    if (of.tombstoned) throw streamDeleted(target.name);
    return { state: of, version: of.metaVersion };
  }
  const state = await readStreamState(ctx.store.db, target.stored);
  if (state.tombstoned) throw streamDeleted(target.name);
  return { state, version: state.version };
};

/**
 * Whether the client's expectation holds against a version, KurrentDB's way: a soft-deleted stream
 * (every event hidden) counts as absent for `no_stream` and as absent for `stream_exists`.
 */
const expectationHolds = (expected: ExpectedVersion, version: number, visible: boolean): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return version < 0 || !visible;
  if (expected === 'stream_exists') return version >= 0 && visible;
  return expected === version;
};

/**
 * Appends proposed events through the store's normal append (one transaction, hash-chained). The
 * stream's head is read first, for its tombstone and metadata; the append then expects exactly that
 * head, so a tombstone written in between makes it conflict and try again, never land after it.
 */
export const appendProposed = async (
  ctx: GatewayContext,
  caller: Caller,
  name: string,
  expected: ExpectedVersion,
  proposed: readonly ProposedMessage[],
): Promise<Appended> => {
  try {
    const target = writableTarget(ctx, name, caller, 'append to');
    const size = proposed.reduce((n, m) => n + proposedSize(m), 0);
    if (size > ctx.limits.maxAppendSize) throw maximumAppendSizeExceeded(ctx.limits.maxAppendSize);
    const events = proposed.map((m) => toNewEvent(m, caller.sub));
    const result = await appendEvents(ctx, target, expected, events);
    if (!result.ok) ctx.metrics.appends.inc({ outcome: 'wrong_expected_version' });
    else {
      ctx.metrics.appends.inc({ outcome: result.written < events.length ? 'repeated' : 'appended' });
      ctx.metrics.eventsAppended.inc(result.written);
    }
    return result;
  } catch (error) {
    // An RpcError other than UNKNOWN is the gateway's answer (access denied, too large, deleted); the rest failed.
    ctx.metrics.appends.inc({
      outcome: error instanceof RpcError && error.code !== status.UNKNOWN ? 'refused' : 'failed',
    });
    throw error;
  }
};

export const appendEvents = async (
  ctx: GatewayContext,
  target: Writable,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<Appended> => {
  for (let attempt = 0; ; attempt += 1) {
    const { state, version } = await stateFor(ctx, target);
    const visible = target.kind === 'meta' ? version >= 0 : hasVisibleEvents(state);
    // A retry of an append that was stored is answered as the first time, whatever the head now.
    const stored = !expectationHolds(expected, version, visible) && (await storedRepeat(ctx, events));
    if (!stored && !expectationHolds(expected, version, visible)) return { ok: false, current: version };
    if (events.length === 0) return { ok: true, revision: version, position: undefined, written: 0 };
    try {
      const result = await ctx.store.append(
        target.stored,
        events,
        stored ? 'any' : version < 0 ? 'no_stream' : version,
      );
      const last = result.globalPositions[result.globalPositions.length - 1];
      const position = last === undefined ? undefined : await positionOfEvent(ctx.store.db, last);
      return { ok: true, revision: result.nextExpectedVersion, position, written: result.written };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < 10) continue;
      if (error instanceof IdempotencyConflictError) return { ok: false, current: version };
      if (error instanceof ValidationError) throw invalidArgument(describe(error));
      throw error;
    }
  }
};

/** Whether these events are all stored already: a client retrying, answered as the first time. */
const storedRepeat = async (ctx: GatewayContext, events: readonly NewEvent[]): Promise<boolean> => {
  const first = events[0];
  return first !== undefined && (await ctx.store.eventExists(first.eventId));
};

const describe = (error: ValidationError): string =>
  `${error.message}: ${error.fields.map((f) => `${f.path} ${f.message}`).join('; ')}`;
