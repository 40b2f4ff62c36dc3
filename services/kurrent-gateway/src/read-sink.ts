import type { ServerWritableStream } from '@grpc/grpc-js';
import { toWireEvent, type ShownEvent } from './event-shape';
import { encodeReadEvent } from './wire-encoder';
import { nowTimestamp, type ReadReq, type ReadResp } from './messages';

/** Messages a read may have queued for a client before it waits for the client to take them. */
const BUFFERED_MESSAGES = 512;

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

  constructor(
    private readonly call: ServerWritableStream<ReadReq, ReadResp>,
    private readonly structuredIds: boolean,
  ) {
    handOverTogether(call);
    call.on('cancelled', () => this.aborter.abort());
    call.on('close', () => this.aborter.abort());
    call.on('error', () => this.aborter.abort());
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
    return this.send(encodeReadEvent(toWireEvent(event, commit, this.structuredIds), commit));
  }

  confirm(subscriptionId: string): Promise<void> {
    return this.send({ confirmation: { subscription_id: subscriptionId } });
  }

  checkpoint(commit: string): Promise<void> {
    return this.send({ checkpoint: { commit_position: commit, prepare_position: commit, timestamp: nowTimestamp() } });
  }

  end(): void {
    if (!this.gone) this.call.end();
  }
}
