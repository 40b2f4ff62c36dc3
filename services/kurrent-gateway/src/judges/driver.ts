/**
 * What a scenario asks of a client, in the client's own terms translated once: each official client
 * gets a thin driver that maps these calls onto its API and its errors onto these kinds, and the
 * scenarios (scenarios.ts) run unchanged through every driver.
 */
export type Expected = 'any' | 'no_stream' | 'stream_exists' | bigint;
export type From = 'start' | 'end' | bigint;

export interface ProposedEvent {
  readonly id?: string;
  readonly type: string;
  /** JSON unless `binary`. */
  readonly data: unknown;
  readonly binary?: boolean;
  readonly metadata?: unknown;
}

export interface SeenEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly isJson: boolean;
  readonly created: Date;
  /** The `$all` commit position. */
  readonly commit: bigint;
}

export type AppendOutcome =
  | { readonly ok: true; readonly revision: bigint; readonly commit: bigint | undefined }
  | { readonly ok: false; readonly current: bigint | 'no_stream' };

export interface FilterSpec {
  readonly on: 'stream' | 'type';
  readonly prefixes?: readonly string[];
  readonly regex?: string;
  /** Filtered subscriptions report checkpoints every this many windows of scanned events. */
  readonly checkpointInterval?: number;
}

export interface Subscription {
  /** Resolves with the first `count` events received (waiting at most `ms`), or rejects. */
  take(count: number, ms?: number): Promise<SeenEvent[]>;
  /** Every event received so far. */
  readonly received: readonly SeenEvent[];
  readonly checkpoints: readonly bigint[];
  /** Resolves once the server said the subscription is live. */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/** The kind of a client error, from the client's own error type. */
export type ErrorKind =
  | 'access-denied'
  | 'stream-deleted'
  | 'wrong-expected-version'
  | 'not-found'
  | 'invalid-argument'
  | 'unknown';

export class DriverError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface Driver {
  readonly name: string;
  append(stream: string, events: readonly ProposedEvent[], expected?: Expected): Promise<AppendOutcome>;
  /** 'not-found' when the server answers that the stream does not exist. */
  readStream(
    stream: string,
    options: { direction?: 'forwards' | 'backwards'; from?: From; count?: number },
  ): Promise<SeenEvent[] | 'not-found'>;
  readAll(options: {
    direction?: 'forwards' | 'backwards';
    from?: From;
    count?: number;
    filter?: FilterSpec;
  }): Promise<SeenEvent[]>;
  subscribeToAll(options: { from?: From; filter?: FilterSpec }): Subscription;
  subscribeToStream(stream: string, options: { from?: From }): Subscription;
  deleteStream(stream: string, expected?: Expected): Promise<void>;
  tombstoneStream(stream: string, expected?: Expected): Promise<void>;
  setMetadata(stream: string, metadata: Record<string, unknown>): Promise<void>;
  getMetadata(stream: string): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}
