import type { ServerWritableStream } from '@grpc/grpc-js';
import { toWireEvent, type ShownEvent } from './event-shape';
import { encodeReadEvent } from './wire-encoder';
import { nowTimestamp, type ReadReq, type ReadResp } from './messages';

/** Messages a read may have queued for a client before it waits for the client to take them. */
const BUFFERED_MESSAGES = 512;

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
