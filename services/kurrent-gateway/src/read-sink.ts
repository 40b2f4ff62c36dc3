import type { ServerWritableStream } from '@grpc/grpc-js';
import type { Histogram } from 'prom-client';
import type { ShownEvent } from './event-shape';
import { nowTimestamp, type ReadReq, type ReadResp } from './messages';
import type { GatewayMetrics, ReadKind, ReadTarget } from './metrics';
import { encodeReadEvent } from './wire-encoder';

/** Messages a read may have queued for a client before it waits for the client to take them. */
const BUFFERED_MESSAGES = 512;

/**
 * Events sent reach the counter in groups while a read catches up, so the `$all` read, the gateway's
 * busiest path, pays an integer increment per event rather than a labelled counter's lookup.
 */
const COUNT_EVERY = 256;

type Send = (message: unknown, done: () => void) => void;
type Chunks = ReadonlyArray<{ readonly chunk: unknown }>;

/**
 * grpc-js's response stream passes a message to HTTP/2 only once the previous one's write has
 * completed, so each event costs a socket write of its own; that, not the reading or encoding, held
 * a `$all` read to 0.44× the store's rate (bench/README.md). Given a `_writev`, Node's Writable hands
 * over every message queued meanwhile at once, and HTTP/2 coalesces them into few socket writes.
 * `sendMessage` is grpc-js's server interceptor API; the call holding it as `call` is grpc-js 1.14's
 * ServerWritableStreamImpl, so without it the stream is left as it is.
 */
const handOverTogether = (call: ServerWritableStream<ReadReq, ReadResp>): void => {
  const inner = (call as unknown as { call?: { sendMessage?: Send } }).call;
  const send = inner?.sendMessage?.bind(inner);
  if (!send) return;
  (call as unknown as { _writev: (chunks: Chunks, done: () => void) => void })._writev = (chunks, done) => {
    let left = chunks.length;
    for (const { chunk } of chunks)
      send(chunk, () => {
        left -= 1;
        if (left === 0) done();
      });
  };
};

/**
 * The response side of a Read: writes that wait while the client's window is full (so a slow client
 * slows its own reads rather than filling the gateway's memory), and stop once the client has gone.
 */
export class ReadSink {
  private readonly aborter = new AbortController();
  private sent: { inc(n: number): void } | undefined;
  private unsent = 0;
  private lag: Histogram.Internal<'target'> | undefined;
  private live = false;

  constructor(
    private readonly call: ServerWritableStream<ReadReq, ReadResp>,
    private readonly structuredIds: boolean,
  ) {
    handOverTogether(call);
    call.on('cancelled', () => this.aborter.abort());
    call.on('close', () => this.aborter.abort());
    call.on('error', () => this.aborter.abort());
    this.aborter.signal.addEventListener('abort', () => this.count(), { once: true });
  }

  /** Counts this read, and from now on the events it sends. */
  meter(metrics: GatewayMetrics, target: ReadTarget, kind: ReadKind): void {
    metrics.reads.inc({ target, kind });
    this.sent = metrics.eventsRead.labels(target, kind);
    this.lag = kind === 'subscription' ? metrics.deliveryLag.labels(target) : undefined;
  }

  /** A subscription has caught up: each event it sends from now on is new, and its lag is measured. */
  caughtUp(): void {
    this.live = true;
    this.count();
  }

  private count(): void {
    if (this.unsent === 0) return;
    this.sent?.inc(this.unsent);
    this.unsent = 0;
  }

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get gone(): boolean {
    return this.aborter.signal.aborted;
  }

  /** A message, or one already encoded (wire-encoder.ts). */
  async send(message: ReadResp | Buffer): Promise<void> {
    if (this.gone) return;
    this.call.write(message as ReadResp);
    // The call's own buffer says full at 16 messages; waiting for it that often leaves the
    // connection idle between bursts. A larger bound still keeps a slow client from filling memory.
    if (this.call.writableLength < BUFFERED_MESSAGES) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.call.off('drain', done);
        this.aborter.signal.removeEventListener('abort', done);
        resolve();
      };
      this.call.on('drain', done);
      this.aborter.signal.addEventListener('abort', done, { once: true });
    });
  }

  event(event: ShownEvent, commit: string): Promise<void> {
    if (this.gone) return Promise.resolve();
    const sending = this.send(encodeReadEvent(event, commit, this.structuredIds));
    this.unsent += 1;
    if (this.live) {
      const recorded = event.recordedMs !== undefined ? Number(event.recordedMs) : Date.parse(event.recordedAt);
      this.lag?.observe(Math.max(0, Date.now() - recorded) / 1000);
      this.count();
    } else if (this.unsent >= COUNT_EVERY) this.count();
    return sending;
  }

  confirm(subscriptionId: string): Promise<void> {
    return this.send({ confirmation: { subscription_id: subscriptionId } });
  }

  checkpoint(commit: string): Promise<void> {
    return this.send({ checkpoint: { commit_position: commit, prepare_position: commit, timestamp: nowTimestamp() } });
  }

  end(): void {
    this.count();
    if (!this.gone) this.call.end();
  }
}
