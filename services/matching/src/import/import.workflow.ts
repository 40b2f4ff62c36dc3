import type { RowProblem } from './import.decider';
import {
  DomainError,
  ForbiddenError,
  step,
  ValidationError,
  type Command,
  type CommandMetadata,
  type DecidedEvent,
  type Decider,
  type Step,
} from '@tashghil/event-store';

/** One kind of file an agency imports: how a row becomes a command on its own stream. */
export interface ImportKind<C extends Command, S, E extends DecidedEvent, D extends { readonly region: string }> {
  readonly kind: 'seeker' | 'offer';
  readonly decider: Decider<C, S, E>;
  readonly idOf: (data: D) => string;
  readonly streamOf: (id: string) => string;
  readonly command: (data: D, metadata: CommandMetadata) => C;
  readonly exists: (state: S) => boolean;
}

export type { RowProblem } from './import.decider';

/** A row whose cells had the shape of the command's data. */
export interface ParsedRow<D> {
  readonly line: number;
  readonly data: D;
}

/** A good row's step, with its line for a refusal at write time. */
export interface PlannedRow {
  readonly line: number;
  readonly step: Step;
  /** The file's check found the row's stream absent (a new seeker or offer): see writeInChunks. */
  readonly absent: boolean;
}

export interface ImportPlan {
  readonly steps: readonly Step[];
  readonly rows: readonly PlannedRow[];
  /** The rows left out, by line, each with what is wrong with it. */
  readonly problems: readonly RowProblem[];
  /** Good rows an earlier send of the same file, under the same Idempotency-Key, wrote already. */
  readonly done: number;
  /** The regions of the good rows. */
  readonly regions: readonly string[];
}

export interface ImportOptions {
  readonly skipBadRows: boolean;
  /** Checks the caller may write in the row's region; throws a ForbiddenError to refuse. */
  readonly authorize: (region: string) => void;
  /** The import request's metadata: each row's command id is the request's and its line. */
  readonly metadata: CommandMetadata;
  /**
   * Whether the row's command is stored already in its stream (a resend under the same
   * Idempotency-Key derives the same command ids): such a row is done, neither a problem nor a step.
   */
  readonly applied?: (streamId: string, commandId: string) => boolean;
  /** Whether the check's read found the row's stream absent; none is taken as absent without it. */
  readonly absent?: (streamId: string) => boolean;
}

/** The command id of a row: the request's (from its Idempotency-Key when it has one) and the row's line. */
export const rowCommandId = (requestCommandId: string, line: number): string => `${requestCommandId}:${line}`;

const problemOf = (line: number, error: DomainError): RowProblem => {
  const fields =
    error instanceof ValidationError && error.fields.length ? error.fields : [{ path: 'row', message: error.message }];
  return { line, errors: fields.map((f) => ({ path: f.path, message: `${error.code}: ${f.message}` })) };
};

/** Bad rows an answer names, at most: a file of a million bad rows is refused in a few kilobytes. */
export const MAX_LISTED_PROBLEMS = 1000;

/**
 * A CSV import for an agency moving in from another system. Every row is judged before anything is
 * written: the file's own duplicates, the caller's region, a file already registered (`stateOf`, read
 * beforehand), and the aggregate's own rules. The good rows become steps, written in chunks (see
 * import.chunks.ts); a file with a bad row stores nothing unless `skipBadRows`, and a file wholly of
 * other regions is another region's file, refused as a single request would be. A row that an
 * earlier send of the same file stored (`applied`) counts as done.
 */
export const planImport = <C extends Command, S, E extends DecidedEvent, D extends { readonly region: string }>(
  kind: ImportKind<C, S, E, D>,
  rows: readonly ParsedRow<D>[],
  malformed: readonly RowProblem[],
  stateOf: (streamId: string) => S,
  options: ImportOptions,
): ImportPlan => {
  const problems: RowProblem[] = [...malformed];
  const planned: PlannedRow[] = [];
  const regions = new Set<string>();
  let done = 0;
  const seen = new Set<string>();
  const outOfScope: ForbiddenError[] = [];
  for (const { line, data } of rows) {
    const id = kind.idOf(data);
    try {
      if (seen.has(id))
        throw new ValidationError('DUPLICATE_IN_FILE', `${kind.kind} ${id} appears twice in the file`, [
          { path: `${kind.kind}Id`, message: 'repeated in the file' },
        ]);
      seen.add(id);
      options.authorize(data.region);
      const streamId = kind.streamOf(id);
      const commandId = rowCommandId(options.metadata.commandId, line);
      if (options.applied?.(streamId, commandId)) {
        done += 1;
        regions.add(data.region);
        continue;
      }
      const state = stateOf(streamId);
      if (kind.exists(state))
        throw new ValidationError('ALREADY_EXISTS', `${kind.kind} ${id} is already registered`, [
          { path: `${kind.kind}Id`, message: 'already registered' },
        ]);
      const command = kind.command(data, { ...options.metadata, commandId });
      kind.decider.decide(command, state);
      planned.push({
        line,
        step: step({ decider: kind.decider, streamId, command }),
        absent: options.absent?.(streamId) ?? false,
      });
      regions.add(data.region);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error instanceof ForbiddenError) outOfScope.push(error);
      problems.push(problemOf(line, error));
    }
  }
  const total = rows.length + malformed.length;
  const [firstOutOfScope] = outOfScope;
  if (firstOutOfScope && outOfScope.length === total) throw firstOutOfScope;
  problems.sort((a, b) => a.line - b.line);
  if (problems.length > 0 && !options.skipBadRows) {
    const listed = problems.length > MAX_LISTED_PROBLEMS ? `; the first ${MAX_LISTED_PROBLEMS} are listed` : '';
    throw new ValidationError(
      'IMPORT_REJECTED',
      `${problems.length} of ${total} rows are invalid; nothing was stored${listed}`,
      problems
        .slice(0, MAX_LISTED_PROBLEMS)
        .flatMap((p) => p.errors.map((e) => ({ path: `line ${p.line}: ${e.path}`, message: e.message }))),
    );
  }
  return { steps: planned.map((r) => r.step), rows: planned, problems, done, regions: [...regions].sort() };
};
