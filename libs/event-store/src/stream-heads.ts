/** A stream's last event: its position and its chain hash (hex). */
export interface StreamHead {
  readonly version: number;
  readonly hash: string;
}

/**
 * The heads this process last saw, so an append can compute its chain hashes before it reaches the
 * database. It is a guess, never trusted: `es.append` checks it under the head lock and answers
 * `rechain` with the real head when it is stale (another process appended, or a transaction that
 * saw it rolled back). Bounded, least recently used first out.
 */
export class StreamHeads {
  private readonly heads = new Map<string, StreamHead | null>();

  constructor(private readonly capacity = 20_000) {}

  /** The head last seen; null when the stream was seen not to exist, undefined when not known. */
  get(streamId: string): StreamHead | null | undefined {
    const head = this.heads.get(streamId);
    if (head === undefined) return undefined;
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    return head;
  }

  set(streamId: string, head: StreamHead | null): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) {
      const oldest = this.heads.keys().next();
      if (!oldest.done) this.heads.delete(oldest.value);
    }
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}
