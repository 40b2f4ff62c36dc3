import type {
  sendUnaryData,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { ExpectedVersion } from '@tashghil/event-store';
import { readAll, subscribeToAll } from './all-reads';
import { appendProposed, type Appended } from './appends';
import type { GatewayContext } from './context';
import { deleteStream } from './deletes';
import {
  asRpcError,
  batchWrongExpectedVersion,
  invalidArgument,
  maximumAppendSizeExceeded,
  toBatchStatus,
} from './errors';
import { proposedSize } from './event-shape';
import {
  streamNameOf,
  type AppendReq,
  type BatchAppendReq,
  type DeleteReq,
  type ExpectedRevisionCase,
  type ProposedMessage,
  type ReadReq,
  type ReadResp,
} from './messages';
import type { ReadTarget } from './metrics';
import { ReadSink } from './read-sink';
import { readStream, subscribeToStream } from './stream-reads';
import { resolveTarget } from './stream-names';

const MAX_U64 = '18446744073709551615';

const expectedOf = (which: ExpectedRevisionCase | undefined, revision: string | undefined): ExpectedVersion => {
  if (which === 'revision' || which === 'stream_position') return Number(revision);
  if (which === 'no_stream' || which === 'stream_exists' || which === 'any') return which;
  throw invalidArgument('the request names no expected stream revision');
};

const positionOf = (commit: string | undefined) =>
  commit === undefined ? { no_position: {} } : { position: { commit_position: commit, prepare_position: commit } };

/** The append answer: success, or the wrong expected version in the body with both of its layouts. */
const appendResp = (result: Appended, expected: ExpectedVersion): object => {
  if (result.ok) return { success: { current_revision: result.revision, ...positionOf(result.position) } };
  const current =
    result.current < 0
      ? { current_no_stream: {}, no_stream_20_6_0: {} }
      : { current_revision: result.current, current_revision_20_6_0: result.current };
  const wanted =
    expected === 'any'
      ? { expected_any: {}, any_20_6_0: {} }
      : expected === 'stream_exists'
        ? { expected_stream_exists: {}, stream_exists_20_6_0: {} }
        : expected === 'no_stream'
          ? { expected_no_stream: {}, expected_revision_20_6_0: MAX_U64 }
          : { expected_revision: expected, expected_revision_20_6_0: expected };
  return { wrong_expected_version: { ...current, ...wanted } };
};

/** Counts a subscription open for as long as it runs. */
const subscribed = async (ctx: GatewayContext, target: ReadTarget, running: Promise<void>): Promise<void> => {
  ctx.metrics.subscriptions.inc({ target });
  try {
    await running;
  } finally {
    ctx.metrics.subscriptions.dec({ target });
  }
};

const read = (ctx: GatewayContext) => (call: ServerWritableStream<ReadReq, ReadResp>) => {
  const options = call.request.options ?? {};
  const sink = new ReadSink(call, options.uuid_option?.content === 'structured');
  const run = async (): Promise<void> => {
    const caller = ctx.access.callerOf(call.metadata);
    ctx.access.mayRead(caller);
    const subscription = options.count_option === 'subscription';
    const all = options.stream_option === 'all';
    sink.meter(ctx.metrics, all ? 'all' : 'stream', subscription ? 'subscription' : 'read');
    if (all) {
      return subscription ? subscribed(ctx, 'all', subscribeToAll(ctx, options, sink)) : readAll(ctx, options, sink);
    }
    const target = resolveTarget(ctx.external, streamNameOf(options.stream?.stream_identifier));
    if (target.kind === 'system') {
      if (subscription) throw invalidArgument(`${target.name} is a system stream; Tashghil's store has none`);
      await sink.send({ stream_not_found: { stream_identifier: { stream_name: Buffer.from(target.name) } } });
      return sink.end();
    }
    return subscription
      ? subscribed(ctx, 'stream', subscribeToStream(ctx, target, options, sink))
      : readStream(ctx, target, options, sink);
  };
  run().catch((error: unknown) => {
    if (sink.gone) return;
    ctx.log.debug({ err: error }, 'read failed');
    call.emit('error', asRpcError(error).toStatus());
  });
};

const append =
  (ctx: GatewayContext) => (call: ServerReadableStream<AppendReq, object>, done: sendUnaryData<object>) => {
    const run = async (): Promise<object> => {
      const caller = ctx.access.callerOf(call.metadata);
      let options: AppendReq['options'];
      const proposed: ProposedMessage[] = [];
      let size = 0;
      for await (const message of call as AsyncIterable<AppendReq>) {
        if (message.content === 'options') options = message.options;
        else if (message.proposed_message) {
          size += proposedSize(message.proposed_message);
          if (size > ctx.limits.maxAppendSize) throw maximumAppendSizeExceeded(ctx.limits.maxAppendSize);
          proposed.push(message.proposed_message);
        }
      }
      if (!options) throw invalidArgument('an append starts with its options');
      const expected = expectedOf(options.expected_stream_revision, options.revision);
      const result = await appendProposed(ctx, caller, streamNameOf(options.stream_identifier), expected, proposed);
      return appendResp(result, expected);
    };
    run().then(
      (resp) => done(null, resp),
      (error: unknown) => done(asRpcError(error).toStatus()),
    );
  };

interface PendingBatch {
  readonly name: string;
  readonly expected: ExpectedVersion;
  readonly events: ProposedMessage[];
}

/**
 * BatchAppend: appends arrive in chunks keyed by correlation id, the first carrying the options; each
 * is appended when its final chunk arrives, concurrently with the others, and answered with a
 * google.rpc.Status (its detail packed as Any) when it fails.
 */
const batchAppend = (ctx: GatewayContext) => (call: ServerDuplexStream<BatchAppendReq, object>) => {
  const pending = new Map<string, PendingBatch>();
  const running = new Set<Promise<void>>();
  let caller: ReturnType<GatewayContext['access']['callerOf']> | undefined;
  const answer = (request: BatchAppendReq, name: string, result: object): void => {
    call.write({
      correlation_id: request.correlation_id,
      stream_identifier: { stream_name: Buffer.from(name) },
      ...result,
    });
  };
  const finish = async (request: BatchAppendReq, batch: PendingBatch): Promise<void> => {
    try {
      caller ??= ctx.access.callerOf(call.metadata);
      const result = await appendProposed(ctx, caller, batch.name, batch.expected, batch.events);
      answer(
        request,
        batch.name,
        result.ok
          ? { success: { current_revision: result.revision, ...positionOf(result.position) } }
          : { error: batchWrongExpectedVersion(result.current, batch.expected) },
      );
    } catch (error) {
      answer(request, batch.name, { error: toBatchStatus(asRpcError(error)) });
    }
  };
  call.on('data', (request: BatchAppendReq) => {
    const id = JSON.stringify(request.correlation_id ?? {});
    let batch = pending.get(id);
    if (!batch) {
      const name = streamNameOf(request.options?.stream_identifier);
      try {
        const expected = expectedOf(request.options?.expected_stream_position, request.options?.stream_position);
        batch = { name, expected, events: [] };
        pending.set(id, batch);
      } catch (error) {
        answer(request, name, { error: toBatchStatus(asRpcError(error)) });
        return;
      }
    }
    batch.events.push(...(request.proposed_messages ?? []));
    if (!request.is_final) return;
    pending.delete(id);
    const work = finish(request, batch);
    running.add(work);
    void work.finally(() => running.delete(work));
  });
  call.on('end', () => {
    void Promise.allSettled([...running]).then(() => call.end());
  });
  call.on('error', () => undefined);
};

const remove =
  (ctx: GatewayContext, kind: 'delete' | 'tombstone') =>
  (call: ServerUnaryCall<DeleteReq, object>, done: sendUnaryData<object>) => {
    const run = async (): Promise<object> => {
      const caller = ctx.access.callerOf(call.metadata);
      const options = call.request.options;
      const expected = expectedOf(options?.expected_stream_revision, options?.revision);
      const position = await deleteStream(ctx, caller, streamNameOf(options?.stream_identifier), expected, kind);
      return positionOf(position);
    };
    run().then(
      (resp) => done(null, resp),
      (error: unknown) => done(asRpcError(error).toStatus()),
    );
  };

export const streamsImplementation = (ctx: GatewayContext): UntypedServiceImplementation => ({
  Read: read(ctx),
  Append: append(ctx),
  BatchAppend: batchAppend(ctx),
  Delete: remove(ctx, 'delete'),
  Tombstone: remove(ctx, 'tombstone'),
});
