import type { PersonalData } from './decider';

/** any: no check; no_stream: must not exist; stream_exists: must exist; a number: the exact version. */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

/** A stream that does not exist is at version -1; its first event takes position 0. */
export const NO_STREAM_VERSION = -1;

export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly schemaVersion?: number;
  readonly personal?: PersonalData;
}

export interface RecordedEvent {
  readonly globalPosition: number;
  readonly txId: number;
  readonly streamId: string;
  readonly category: string;
  readonly streamPosition: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: string;
  readonly hash: string;
  readonly prevHash: string | null;
}

/** A place in commit order: (transaction id, global position). */
export interface Checkpoint {
  readonly txId: number;
  readonly position: number;
}

export const START: Checkpoint = { txId: 0, position: 0 };

export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number =>
  a.txId !== b.txId ? a.txId - b.txId : a.position - b.position;

export interface AppendResult {
  /** The stream's version after the append (the position of its last event). */
  readonly nextExpectedVersion: number;
  readonly globalPositions: readonly number[];
  /** 0 when every event was already stored (an idempotent repeat). */
  readonly written: number;
}

/** One stream's part of an atomic append over several streams. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedVersion;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  readonly fromPosition?: number;
  readonly maxCount?: number;
  /** false returns personal fields sealed, as stored (for publishing). */
  readonly decrypt?: boolean;
}

export interface ReadAllOptions {
  readonly after?: Checkpoint;
  readonly limit?: number;
  /** Exact categories, e.g. `conventions.convention`. */
  readonly categories?: readonly string[];
  /** A context, e.g. `conventions`: every category `conventions.*`. */
  readonly context?: string;
  /** Only events recorded at or before this instant (for "as of" replays). */
  readonly recordedUntil?: string;
  /**
   * Only events of these types. The checkpoint still moves past the others, so a reader that takes
   * a few types does not fetch, send and parse every event of the store to drop most of them.
   */
  readonly types?: readonly string[];
  readonly decrypt?: boolean;
}

/**
 * An event as a relay publishes it: its data and metadata as the JSON text the store holds (personal
 * fields sealed), never parsed into objects, and the two ids a message carries in its headers.
 */
export interface EventText {
  readonly globalPosition: number;
  readonly txId: number;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
}

export interface ReadAllTextResult {
  readonly events: readonly EventText[];
  readonly checkpoint: Checkpoint;
}

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /** Where the next read starts. It may pass the last event when filtered-out events were scanned. */
  readonly checkpoint: Checkpoint;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly streams: number;
  readonly events: number;
  readonly firstBroken?: {
    readonly streamId: string;
    readonly streamPosition: number;
    readonly globalPosition?: number;
    readonly reason: string;
  };
}

export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  readonly upcast: (data: Record<string, unknown>) => Record<string, unknown>;
}

export const streamCategory = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
};
