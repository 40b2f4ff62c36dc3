import { ValidationError } from './errors';
import { linkHash } from './event-rows';
import type { StreamHead } from './stream-heads';
import { NO_STREAM_VERSION, type ExpectedVersion, type NewEvent } from './types';

/** One stream's part of an append: ids lower-cased, personal fields sealed as they will be stored. */
export interface Part {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedVersion;
  /** Where the part's events are in the caller's request, for errors: `events`, or `2.events`. */
  readonly path?: string;
}

export interface Sealed {
  readonly part: Part;
  /** Each event's data as stored: its personal fields sealed. */
  readonly data: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** The same data, and each event's metadata, as the JSON text sent to be stored. */
  readonly dataJson: readonly string[];
  readonly metadataJson: readonly string[];
  /** Their canonical JSON, which the chain hashes: the same strings, unless one is not plain JSON. */
  readonly dataCanonical: readonly string[];
  readonly metadataCanonical: readonly string[];
}

/** The head a chain is computed from: null for a stream not yet written, hash null when unknown. */
export type Assumed = { readonly version: number; readonly hash: string | null } | null;

/** An append's rows, chained from assumed heads, as the append functions take them. */
export interface Chained {
  readonly assumed: readonly Assumed[];
  /** Each stream's head after the append. */
  readonly next: readonly StreamHead[];
  readonly rowStreams: readonly string[];
  readonly positions: readonly number[];
  readonly eventIds: readonly string[];
  readonly types: readonly string[];
  readonly schemaVersions: readonly number[];
  /** JSON arrays of every event's data and metadata, in row order. */
  readonly data: string;
  readonly metadata: string;
  readonly prevHashes: ReadonlyArray<string | null>;
  readonly hashes: readonly string[];
}

/** Every event's row and link, stream after stream, each stream's chain continuing its assumed head. */
export const chain = (sealed: readonly Sealed[], assumed: readonly Assumed[], recordedAt: string): Chained => {
  const rowStreams: string[] = [];
  const positions: number[] = [];
  const eventIds: string[] = [];
  const types: string[] = [];
  const schemaVersions: number[] = [];
  const prevHashes: (string | null)[] = [];
  const hashes: string[] = [];
  const next = sealed.map((s, i) => {
    const head = assumed[i] ?? null;
    let prev = head?.hash ?? null;
    const base = head?.version ?? NO_STREAM_VERSION;
    s.part.events.forEach((e, j) => {
      const schemaVersion = e.schemaVersion ?? 1;
      const hash = linkHash(
        prev,
        {
          streamId: s.part.streamId,
          streamPosition: base + 1 + j,
          eventId: e.eventId,
          type: e.type,
          schemaVersion,
          recordedAt,
        },
        s.dataCanonical[j] ?? 'null',
        s.metadataCanonical[j] ?? '{}',
      );
      rowStreams.push(s.part.streamId);
      positions.push(base + 1 + j);
      eventIds.push(e.eventId);
      types.push(e.type);
      schemaVersions.push(schemaVersion);
      prevHashes.push(prev);
      hashes.push(hash);
      prev = hash;
    });
    return { version: base + s.part.events.length, hash: prev ?? '' };
  });
  return {
    assumed,
    next,
    rowStreams,
    positions,
    eventIds,
    types,
    schemaVersions,
    data: `[${sealed.flatMap((s) => s.dataJson).join(',')}]`,
    metadata: `[${sealed.flatMap((s) => s.metadataJson).join(',')}]`,
    prevHashes,
    hashes,
  };
};

/** Refuses an event whose data and metadata, as stored, take more than `max` bytes of UTF-8 JSON. */
export const checkSize = ({ part, data, dataJson, metadataJson }: Sealed, j: number, max: number): void => {
  const [dataText = '', metadataText = ''] = [dataJson[j], metadataJson[j]];
  // A UTF-16 code unit takes at most three bytes of UTF-8: most events are measured without encoding.
  if ((dataText.length + metadataText.length) * 3 <= max) return;
  const bytes = Buffer.byteLength(dataText) + Buffer.byteLength(metadataText);
  if (bytes <= max) return;
  const largest = Object.entries(data[j] ?? {})
    .map(([field, value]) => ({ field, bytes: Buffer.byteLength(JSON.stringify(value) ?? '') }))
    .sort((a, b) => b.bytes - a.bytes)[0];
  const event = part.events[j];
  const path = `${part.path ?? 'events'}.${j}`;
  const message =
    `event ${event?.type ?? ''} takes ${bytes} bytes of data and metadata as stored, more than the ` +
    `${max} this store accepts` +
    (largest ? ` (its largest field, data.${largest.field}, takes ${largest.bytes})` : '');
  throw new ValidationError('EVENT_TOO_LARGE', message, [{ path, message }]);
};
