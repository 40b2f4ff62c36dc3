import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import { packAny } from './protocol';

/**
 * An error as the clients parse it from a status: a gRPC code, KurrentDB's message text (clients
 * match some of these texts) and the `exception` trailer that names the error, with its fields.
 * Texts and trailer names follow KurrentDB's server (src/KurrentDB.Core/Services/Transport/Grpc/
 * RpcExceptions.cs and Constants.cs, read 2026-07-14).
 */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly trailers: Readonly<Record<string, string>> = {},
    /** The detail a BatchAppend response packs for this error (see toBatchStatus). */
    readonly batch?: { readonly type: string; readonly value: object; readonly code: number },
  ) {
    super(message);
  }

  toStatus(): Partial<StatusObject> {
    const metadata = new Metadata();
    for (const [k, v] of Object.entries(this.trailers)) metadata.set(k, v);
    return { code: this.code, details: this.message, metadata };
  }
}

/** google.rpc.Code values used in BatchAppend statuses. */
const RPC = { invalidArgument: 3, deadlineExceeded: 4, notFound: 5, alreadyExists: 6, permissionDenied: 7, unknown: 2 };

export const accessDenied = (why: string): RpcError =>
  new RpcError(
    status.PERMISSION_DENIED,
    `Access Denied: ${why}`,
    { exception: 'access-denied' },
    { type: 'event_store.client.AccessDenied', value: {}, code: RPC.permissionDenied },
  );

export const streamDeleted = (streamName: string): RpcError =>
  new RpcError(
    status.FAILED_PRECONDITION,
    `Event stream '${streamName}' is deleted.`,
    { exception: 'stream-deleted', 'stream-name': streamName },
    {
      type: 'event_store.client.StreamDeleted',
      value: { stream_identifier: { stream_name: Buffer.from(streamName) } },
      code: RPC.notFound,
    },
  );

/** For Delete and Tombstone; an append answers a wrong expected version in its response body. */
export const wrongExpectedVersion = (
  operation: string,
  streamName: string,
  expected: number,
  actual: number,
): RpcError =>
  new RpcError(
    status.FAILED_PRECONDITION,
    `${operation} failed due to WrongExpectedVersion. Stream: ${streamName}, Expected version: ${expected}, Actual version: ${actual}`,
    {
      exception: 'wrong-expected-version',
      'stream-name': streamName,
      'expected-version': String(expected),
      'actual-version': String(actual),
    },
  );

export const maximumAppendSizeExceeded = (max: number): RpcError =>
  new RpcError(
    status.INVALID_ARGUMENT,
    `Maximum Append Size of ${max} Exceeded.`,
    { exception: 'maximum-append-size-exceeded', 'maximum-append-size': String(max) },
    { type: 'event_store.client.MaximumAppendSizeExceeded', value: { maxAppendSize: max }, code: RPC.invalidArgument },
  );

export const missingMetadata = (property: string): RpcError =>
  new RpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });

export const invalidArgument = (message: string): RpcError =>
  new RpcError(
    status.INVALID_ARGUMENT,
    message,
    {},
    {
      type: 'event_store.client.BadRequest',
      value: { message },
      code: RPC.invalidArgument,
    },
  );

export const unavailable = (message: string): RpcError => new RpcError(status.UNAVAILABLE, message);

/** Anything else a handler throws, with its message, as KurrentDB answers an unexpected failure. */
export const asRpcError = (error: unknown): RpcError =>
  error instanceof RpcError
    ? error
    : new RpcError(status.UNKNOWN, error instanceof Error ? error.message : String(error), {}, undefined);

/** The google.rpc.Status a BatchAppend response carries: the error's packed detail, or Unknown. */
export const toBatchStatus = (error: RpcError): { code: number; message: string; details: object } => {
  const detail = error.batch ?? { type: 'event_store.client.Unknown', value: {}, code: RPC.unknown };
  return { code: detail.code, message: error.message, details: packAny(detail.type, detail.value) };
};

/** BatchAppend's wrong expected version, as KurrentDB packs it (google.rpc.Code ALREADY_EXISTS). */
export const batchWrongExpectedVersion = (current: number, expected: ExpectedForWire) => ({
  code: RPC.alreadyExists,
  message: 'WrongExpectedVersion',
  details: packAny('event_store.client.WrongExpectedVersion', {
    ...(current < 0 ? { current_no_stream: {} } : { current_stream_revision: current }),
    ...(expected === 'any'
      ? { expected_any: {} }
      : expected === 'stream_exists'
        ? { expected_stream_exists: {} }
        : expected === 'no_stream'
          ? { expected_no_stream: {} }
          : { expected_stream_position: expected }),
  }),
});

export type ExpectedForWire = 'any' | 'stream_exists' | 'no_stream' | number;
