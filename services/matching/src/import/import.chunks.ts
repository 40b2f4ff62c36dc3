import {
  DomainError,
  eventIdFor,
  handleWorkflow,
  IdempotencyConflictError,
  isTransientDatabaseError,
  readStreams,
  sleep,
  type Command,
  type DecidedEvent,
  type Decider,
  type EventStore,
  type RecordedEvent,
} from '@tashghil/event-store';
import type { RowProblem } from './import.decider';
import type { PlannedRow } from './import.workflow';

/**
 * Streams read per statement while a file is checked. Each read is a short statement of its own:
 * one over the 100,000 streams of a national file ran for more than a second on this machine,
 * longer than any transaction may stay open (issue 15).
 */
export const READ_PAGE = 5_000;

/** What the store holds of a file's streams: each one's state, and whether a row's command is in it. */
export interface FileStreams<S> {
  stateOf(streamId: string): S;
  applied(streamId: string, commandId: string): boolean;
  /** Whether the stream was read (a stream that does not exist counts as read). */
  covers(streamId: string): boolean;
  /** Whether the stream was read and found not to exist. */
  absent(streamId: string): boolean;
}

interface Found<S> {
  readonly state: S;
  readonly eventIds: ReadonlySet<string>;
}

const asDecided = <E extends DecidedEvent>(event: RecordedEvent): E =>
  ({ type: event.type, data: event.data, schemaVersion: event.schemaVersion }) as unknown as E;

/**
 * Reads the streams a file's rows name, a page at a time; with `before`, only those it did not
 * read. A row's command is applied when its first event, whose id derives from the command id, is
 * stored in the row's own stream: only a stream that exists is looked into, so a new file costs no
 * hashing here.
 */
export const readFileStreams = async <C extends Command, S, E extends DecidedEvent>(
  store: EventStore,
  decider: Pick<Decider<C, S, E>, 'initialState' | 'evolve'>,
  streamIds: readonly string[],
  before?: FileStreams<S>,
): Promise<FileStreams<S>> => {
  const wanted = [...new Set(before ? streamIds.filter((id) => !before.covers(id)) : streamIds)];
  const found = new Map<string, Found<S>>();
  for (let from = 0; from < wanted.length; from += READ_PAGE) {
    const { streams } = await readStreams(store, wanted.slice(from, from + READ_PAGE), []);
    for (const [streamId, { events }] of streams) {
      if (events.length === 0) continue;
      found.set(streamId, {
        state: events.reduce((state, event) => decider.evolve(state, asDecided<E>(event)), decider.initialState()),
        eventIds: new Set(events.map((event) => event.eventId)),
      });
    }
  }
  const covered = new Set(wanted);
  const initial = decider.initialState();
  const here = (streamId: string): boolean => covered.has(streamId);
  return {
    stateOf: (streamId) =>
      here(streamId) || !before ? (found.get(streamId)?.state ?? initial) : before.stateOf(streamId),
    applied: (streamId, commandId) =>
      here(streamId) || !before
        ? (found.get(streamId)?.eventIds.has(eventIdFor(commandId, 0)) ?? false)
        : before.applied(streamId, commandId),
    covers: (streamId) => here(streamId) || (before?.covers(streamId) ?? false),
    absent: (streamId) => (here(streamId) ? !found.has(streamId) : (before?.absent(streamId) ?? false)),
  };
};

export interface ChunkSettings {
  /** Rows of the first chunk; each chunk is one workflow, and so one transaction. */
  readonly chunkRows: number;
  /**
   * What a chunk may take, from its read to its commit, in milliseconds: the next chunk grows when
   * one takes less than half of it and halves when one takes more than half again as much. Issue
   * 15 wants no transaction open for a second; a chunk's transaction is only part of its time, but
   * while the library seals and hashes inside it (see the report of issue 15, part 3), its length
   * follows the chunk's on a loaded machine: 1,000 rows of seekers held one for 1.7 s here under a
   * load of 15 on two cores (2026-12-05). Since sealing moved out of the transaction, 300 ms (chunks
   * of up to 2,000 rows) wrote 100,000 seekers at 4,012 and 4,191 rows/s against 3,214 and 3,534
   * with 120 ms (chunks of up to 1,000), the oldest writing transaction 0.29 s; a chunk's round
   * trips wait less often on the other chunk's work. The horizon test passed under a load of 8.
   */
  readonly targetMs: number;
  readonly minRows: number;
  readonly maxRows: number;
  /**
   * Chunks written at once. Two overlap one chunk's statements on the server with the next chunk's
   * deciding, sealing and hashing here. Sealing and serialising happen before a chunk's transaction
   * begins (EventStore.prepareAppend), so the other chunk's work no longer runs inside it for long.
   * Quiet machine, 2026-12-05: two wrote 3,330–3,670 rows/s of a 50,000-row file, one 3,060 of a
   * 20,000-row file, and no writing transaction was older than 0.12 s; three and four gave 2,880
   * and 3,880, no gain beyond this machine's noise for more connections held. Under a load of 15 to
   * 23 on two cores, before sealing moved out, two held transactions for 1.05 to 1.4 s; the chunk
   * size then halves (targetMs) until they are short again.
   */
  readonly inFlight: number;
}

export const DEFAULT_CHUNKS: ChunkSettings = {
  chunkRows: 200,
  targetMs: 300,
  minRows: 25,
  maxRows: 2_000,
  inFlight: 2,
};

export interface ChunkProgress {
  /** Rows written (or found written) so far, over every chunk. */
  readonly rowsDone: number;
  /** Rows of this chunk refused when written. */
  readonly refused: readonly RowProblem[];
  readonly chunks: number;
}

export interface ChunksOutcome {
  readonly rowsDone: number;
  readonly refused: readonly RowProblem[];
  /** The signal stopped it before every chunk was written. */
  readonly stopped: boolean;
}

/** Attempts of a chunk that the database failed for a passing reason (a lost connection, a deadlock). */
const TRANSIENT_ATTEMPTS = 4;

const problemOf = (line: number, error: DomainError): RowProblem => ({
  line,
  errors: [{ path: 'row', message: `${error.code}: ${error.message}` }],
});

/**
 * One chunk through the one write path. A rule that refuses the chunk refuses one of its rows only
 * when the file's check could not see it coming (another request registered the same seeker since):
 * the chunk is then written row by row, and the rows refused are reported.
 */
const writeChunk = async (store: EventStore, chunk: readonly PlannedRow[]): Promise<RowProblem[]> => {
  // The file's check found these streams absent: the chunk's first decision does not read them again.
  const absent = new Set(chunk.flatMap((row) => (row.absent ? [row.step.streamId] : [])));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await handleWorkflow(
        store,
        chunk.map((row) => row.step),
        { absent },
      );
      return [];
    } catch (error) {
      // A key reused for another file is the request's error, not a row's.
      if (error instanceof IdempotencyConflictError) throw error;
      if (error instanceof DomainError) break;
      if (attempt >= TRANSIENT_ATTEMPTS || !isTransientDatabaseError(error)) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
  const refused: RowProblem[] = [];
  for (const row of chunk) {
    try {
      await handleWorkflow(store, [row.step]);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.push(problemOf(row.line, error));
    }
  }
  return refused;
};

/**
 * Writes the planned rows in chunks, each its own short transaction, so that no import holds the
 * snapshot horizon that relays and subscriptions read below. Every row's command id derives from
 * the request's and the row's line: a chunk written again (a resend, a retry after a lost answer)
 * is answered as already stored, and nothing is written twice. `signal` stops it between chunks.
 */
export const writeInChunks = async (
  store: EventStore,
  rows: readonly PlannedRow[],
  settings: ChunkSettings,
  options: { readonly signal?: AbortSignal; readonly onChunk?: (progress: ChunkProgress) => void } = {},
): Promise<ChunksOutcome> => {
  const bounded = (rows: number): number => Math.max(1, settings.minRows, Math.min(settings.maxRows, Math.round(rows)));
  let size = bounded(settings.chunkRows);
  let next = 0;
  let rowsDone = 0;
  let chunks = 0;
  let failure: { error: unknown } | undefined;
  const refused: RowProblem[] = [];
  const writer = async (): Promise<void> => {
    while (next < rows.length && !options.signal?.aborted && !failure) {
      const chunk = rows.slice(next, next + size);
      next += chunk.length;
      try {
        const started = performance.now();
        const late = await writeChunk(store, chunk);
        const took = performance.now() - started;
        if (took > settings.targetMs * 1.5) size = bounded(Math.min(size, chunk.length) / 2);
        else if (took < settings.targetMs / 2) size = bounded(Math.max(size, chunk.length) * 1.5);
        rowsDone += chunk.length - late.length;
        chunks += 1;
        refused.push(...late);
        options.onChunk?.({ rowsDone, refused: late, chunks });
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, settings.inFlight) }, writer));
  if (failure) throw failure.error;
  refused.sort((a, b) => a.line - b.line);
  return { rowsDone, refused, stopped: next < rows.length };
};
