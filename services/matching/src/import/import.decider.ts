import { IdempotencyConflictError, type Command, type Decider } from '@tashghil/event-store';

/** A row left out of an import, by its line in the file, with what is wrong with it. */
export interface RowProblem {
  readonly line: number;
  readonly errors: ReadonlyArray<{ readonly path: string; readonly message: string }>;
}

/**
 * How many skipped rows an import's events name; the count covers the rest. The answer to the
 * request names them all; the resource keeps the first ones, so that no event grows with the file
 * (DESIGN.md, "Events stay small").
 */
export const PROBLEMS_KEPT = 200;

/**
 * How long a running import may go without recording progress before it reads as stalled: its
 * process died, and sending the file again with the same Idempotency-Key resumes it. A running
 * import records progress at least every second (see import.jobs.ts).
 */
export const STALL_MS = 30_000;

export type ImportKindName = 'seeker' | 'offer';

/** What an import's start records: the file it reads (by digest) and what its validation found. */
export interface ImportPlanned {
  readonly importId: string;
  readonly kind: ImportKindName;
  /** SHA-256 of the file's text: a key sent again with another file is another request. */
  readonly fileDigest: string;
  readonly skipBadRows: boolean;
  /** Rows under the header line. */
  readonly rowsTotal: number;
  /** Good rows: the ones the import writes. */
  readonly rowsToImport: number;
  /** Good rows an earlier send with the same key has written already. */
  readonly alreadyDone: number;
  readonly skipped: readonly RowProblem[];
  readonly skippedCount: number;
  /** The regions of its rows: who may follow it. */
  readonly regions: readonly string[];
}

export type StartImport = Command<'StartImport', ImportPlanned>;
/** `refused`: rows that passed validation and were refused when written (another writer came first). */
export type RecordImportProgress = Command<
  'RecordImportProgress',
  { readonly rowsDone: number; readonly refused: readonly RowProblem[] }
>;
export type FinishImport = Command<
  'FinishImport',
  { readonly rowsDone: number; readonly refused: readonly RowProblem[] }
>;
export type StopImport = Command<
  'StopImport',
  { readonly rowsDone: number; readonly outcome: 'interrupted' | 'failed'; readonly reason: string }
>;
export type ImportCommand = StartImport | RecordImportProgress | FinishImport | StopImport;

type Ev<T extends string, D> = { readonly type: T; readonly schemaVersion?: number; readonly data: D };
type Progress = { readonly importId: string; readonly rowsDone: number; readonly on: string };
export type ImportEvent =
  | Ev<'ImportStarted', ImportPlanned & { readonly on: string; readonly by: string }>
  | Ev<'ImportResumed', ImportPlanned & { readonly on: string; readonly by: string }>
  | Ev<'ImportProgressed', Progress & { readonly refused: readonly RowProblem[] }>
  | Ev<'ImportCompleted', Progress & { readonly refused: readonly RowProblem[] }>
  | Ev<'ImportInterrupted', Progress & { readonly reason: string }>
  | Ev<'ImportFailed', Progress & { readonly reason: string }>;

export type ImportStatus = 'running' | 'completed' | 'interrupted' | 'failed';

export type Import =
  | { readonly status: 'none' }
  | (Omit<ImportPlanned, 'alreadyDone'> & {
      readonly status: ImportStatus;
      readonly rowsDone: number;
      readonly startedBy: string;
      readonly startedOn: string;
      readonly updatedOn: string;
      readonly runs: number;
      readonly reason?: string;
    });

export const importStreamId = (importId: string): string => `matching.import-${importId}`;

const initialState = (): Import => ({ status: 'none' });

const kept = (problems: readonly RowProblem[], more: readonly RowProblem[]): RowProblem[] =>
  [...problems, ...more].slice(0, PROBLEMS_KEPT);

const evolve = (state: Import, event: ImportEvent): Import => {
  switch (event.type) {
    case 'ImportStarted':
    case 'ImportResumed': {
      const { on, by, alreadyDone, ...planned } = event.data;
      const started = state.status === 'none' ? { startedBy: by, startedOn: on, runs: 0 } : state;
      return {
        ...planned,
        status: 'running',
        rowsDone: alreadyDone,
        startedBy: started.startedBy,
        startedOn: started.startedOn,
        updatedOn: on,
        runs: started.runs + 1,
      };
    }
    case 'ImportProgressed':
    case 'ImportCompleted': {
      if (state.status === 'none') return state;
      const { rowsDone, refused, on } = event.data;
      return {
        ...state,
        status: event.type === 'ImportCompleted' ? 'completed' : state.status,
        rowsDone: Math.max(state.rowsDone, rowsDone),
        skipped: kept(state.skipped, refused),
        skippedCount: state.skippedCount + refused.length,
        updatedOn: on,
      };
    }
    case 'ImportInterrupted':
    case 'ImportFailed': {
      if (state.status === 'none') return state;
      const { rowsDone, reason, on } = event.data;
      return {
        ...state,
        status: event.type === 'ImportFailed' ? 'failed' : 'interrupted',
        rowsDone: Math.max(state.rowsDone, rowsDone),
        reason,
        updatedOn: on,
      };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

const start = (command: StartImport, state: Import): ImportEvent[] => {
  const on = command.metadata.now;
  const data = {
    ...command.data,
    skipped: command.data.skipped.slice(0, PROBLEMS_KEPT),
    on,
    by: command.metadata.actor,
  };
  if (state.status === 'none') return [{ type: 'ImportStarted', data }];
  if (state.fileDigest !== command.data.fileDigest || state.kind !== command.data.kind) {
    throw new IdempotencyConflictError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used for another file; send a new key',
      { importId: state.importId },
    );
  }
  if (state.status === 'completed') return [];
  // A run that recorded progress lately is alive on some replica: it goes on, and this send only follows it.
  if (state.status === 'running' && Date.parse(on) - Date.parse(state.updatedOn) < STALL_MS) return [];
  return [{ type: 'ImportResumed', data }];
};

const progressOf = (state: Import, command: Command, rowsDone: number) =>
  state.status === 'none' ? undefined : { importId: state.importId, rowsDone, on: command.metadata.now };

const decide = (command: ImportCommand, state: Import): ImportEvent[] => {
  switch (command.type) {
    case 'StartImport':
      return start(command, state);
    case 'RecordImportProgress':
    case 'FinishImport': {
      // A run that lost the import to another (it stalled, and a resend resumed it) writes only
      // repeats from then on: what it reports changes nothing.
      const progress = progressOf(state, command, command.data.rowsDone);
      if (!progress || state.status !== 'running') return [];
      const { refused } = command.data;
      return command.type === 'FinishImport'
        ? [{ type: 'ImportCompleted', data: { ...progress, refused } }]
        : [{ type: 'ImportProgressed', data: { ...progress, refused } }];
    }
    case 'StopImport': {
      const progress = progressOf(state, command, command.data.rowsDone);
      if (!progress || state.status !== 'running') return [];
      const { reason } = command.data;
      return command.data.outcome === 'failed'
        ? [{ type: 'ImportFailed', data: { ...progress, reason } }]
        : [{ type: 'ImportInterrupted', data: { ...progress, reason } }];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
};

/** The import resource: one stream per import, the file's validation and the progress of its writes. */
export const importDecider: Decider<ImportCommand, Import, ImportEvent> = { initialState, evolve, decide };

/** What `GET /imports/:id` shows; `stalled` when a running import has recorded nothing for STALL_MS. */
export const importView = (state: Exclude<Import, { status: 'none' }>, now: string, rowsDoneHere?: number) => {
  const stalled =
    state.status === 'running' &&
    rowsDoneHere === undefined &&
    Date.parse(now) - Date.parse(state.updatedOn) >= STALL_MS;
  return {
    importId: state.importId,
    kind: state.kind,
    status: stalled ? 'stalled' : state.status,
    rowsTotal: state.rowsTotal,
    rowsToImport: state.rowsToImport,
    rowsDone: Math.max(state.rowsDone, rowsDoneHere ?? 0),
    skippedCount: state.skippedCount,
    skipped: state.skipped,
    skipBadRows: state.skipBadRows,
    regions: state.regions,
    startedBy: state.startedBy,
    startedOn: state.startedOn,
    updatedOn: state.updatedOn,
    runs: state.runs,
    ...(state.reason ? { reason: state.reason } : {}),
  };
};
