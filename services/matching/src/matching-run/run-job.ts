import {
  handleWorkflow,
  loadAggregate,
  NotFoundError,
  type CommandMetadata,
  type EventStore,
} from '@tashghil/event-store';
import { boundHeapGrowth, collectGarbage } from './collect-garbage';
import { chunkWorkflow, digestOf, lookupsOf, runChunks, runStep, type RunChunk } from './batch-run.workflow';
import { matchingRunDecider, matchingRunStreamId, type MatchingRun, type RunSolution } from './matching-run.decider';
import { hashInputsAsync, loadRunInputs, yieldTurn, type RunInputs } from './run-inputs';
import { ENGINE, multipliersOf, proposalsOf, solveRequest, summaryOf } from './run-matching';
import { RUN_CHUNK_SIZE } from './run-proposals.decider';
import type { Progress, SolveRequest, SolveResult } from './solve';

export type RunPhase = 'reading inputs' | 'candidates' | 'solving' | 'recording';

/** From this many seekers on, a run collects its dropped inputs before it solves (collect-garbage.ts). */
const COLLECT_FROM = 20_000;

/** Chunk transactions in flight at once; measured in bench:matching (bench/README.md). */
export const RECORDING_WRITERS = 4;

export interface RunJobOptions {
  /** Where the CPU work runs: a worker thread in the service (solve-thread.ts), this thread in a seeding. */
  readonly solve: (request: SolveRequest, progress: Progress) => Promise<SolveResult>;
  /** Told of each phase and its progress; throws to stop the run (its claim was lost, the service stops). */
  readonly progress?: (phase: RunPhase, done: number, total: number) => Promise<void> | void;
  /** Who the run's own steps are recorded as. */
  readonly metadata: Omit<CommandMetadata, 'commandId' | 'now'>;
  readonly now?: () => string;
  /** Stops reading the inputs when it aborts (the service stops). */
  readonly signal?: AbortSignal;
  /** How many chunks are written at once (RECORDING_WRITERS by default). */
  readonly writers?: number;
  /** Proposals per chunk for a new run (a resumed run keeps the size it recorded). */
  readonly chunkSize?: number;
}

/** The run stopped by a rule (the engine refused its caps): recorded as failed, not retried. */
export class RunRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs a requested matching run to its end, or takes a run interrupted by a crash up where its record
 * allows:
 * - requested, not solved: reads the inputs as they are now, solves, records the solution;
 * - solved: reads the inputs again at the checkpoint it recorded and solves again, which gives the
 *   same proposals (checked against the recorded digest), then stores the chunks; those already
 *   stored are found applied, by their command ids.
 * No transaction is open while it reads, solves or builds: each chunk is one short transaction. The
 * heap's growth is bounded while it runs (boundHeapGrowth). Answers the run's state at the end.
 */
export const executeRun = async (store: EventStore, runId: string, options: RunJobOptions): Promise<MatchingRun> => {
  const release = boundHeapGrowth();
  try {
    return await runToEnd(store, runId, options);
  } finally {
    release();
  }
};

const runToEnd = async (store: EventStore, runId: string, options: RunJobOptions): Promise<MatchingRun> => {
  const now = options.now ?? (() => new Date().toISOString());
  const report = options.progress ?? (() => {});
  const meta = (): CommandMetadata => ({ ...options.metadata, now: now(), commandId: '' });
  const load = async () => (await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId))).state;
  const run = await load();
  if (run.status === 'none') throw new NotFoundError('RUN_NOT_FOUND', `no matching run ${runId}`);
  if (run.status === 'completed' || run.status === 'failed') return run;

  await report('reading inputs', 0, 1);
  const recorded = run.status === 'solved' ? run.solution : undefined;
  const started = performance.now();
  let solution: RunSolution;
  let chunks: RunChunk[];
  let inputs: RunInputs;
  try {
    ({ solution, chunks, inputs } = await solveAndChunk(
      run.runId,
      run.parameters,
      (asOf) => loadRunInputs(store, asOf, options.signal),
      recorded,
      options,
      report,
    ));
  } catch (error) {
    if (!(error instanceof RunRefusedError)) throw error;
    await handleWorkflow(store, [
      runStep(runId, { type: 'FailMatchingRun', data: { code: error.code, message: error.message } }, meta(), 'failed'),
    ]);
    return load();
  }
  if (!recorded) {
    const total = { ...solution, milliseconds: Math.round(performance.now() - started) };
    await handleWorkflow(store, [runStep(runId, { type: 'RecordRunSolution', data: total }, meta(), 'solved')]);
    const after = await load();
    // Another holder recorded its solution first (its inputs were read a moment apart): its chunks, not these.
    if (after.status !== 'solved' || after.solution.proposalsDigest !== solution.proposalsDigest) return after;
  }
  const lookups = lookupsOf(inputs);
  await report('recording', 0, chunks.length);
  // Chunks touch disjoint streams: a few transactions at once keep the server busy while this thread
  // builds the next. Any subset of them may be stored when a run stops; the rest come at its resumption.
  let next = 0;
  let stored = 0;
  const writer = async (): Promise<void> => {
    for (let k = next++; k < chunks.length; k = next++) {
      const chunk = chunks[k] as RunChunk;
      await handleWorkflow(store, chunkWorkflow(run, chunk, lookups, meta()));
      stored += 1;
      await report('recording', stored, chunks.length);
    }
  };
  await Promise.all(Array.from({ length: options.writers ?? RECORDING_WRITERS }, writer));
  await handleWorkflow(store, [runStep(runId, { type: 'CompleteMatchingRun', data: {} }, meta(), 'completed')]);
  return load();
};

/**
 * The inputs are read twice, at the same checkpoint: once to build the solver's arrays, and again
 * once the solver is done, for the proposals. In between this thread holds neither the folded files
 * nor anything built from them, so the service holds the inputs or the solver's network, never both:
 * at a million seekers that is about a gigabyte of the process's peak (bench/README.md). Both reads
 * must hash alike.
 */
const solveAndChunk = async (
  runId: string,
  parameters: Extract<MatchingRun, { status: 'requested' }>['parameters'],
  readInputs: (asOf?: RunInputs['asOf']) => Promise<RunInputs>,
  recorded: RunSolution | undefined,
  options: RunJobOptions,
  report: NonNullable<RunJobOptions['progress']>,
): Promise<{ solution: RunSolution; chunks: RunChunk[]; inputs: RunInputs }> => {
  let inputsMs = 0;
  const timedRead = async (asOf?: RunInputs['asOf']): Promise<RunInputs> => {
    const started = performance.now();
    const read = await readInputs(asOf);
    inputsMs += performance.now() - started;
    return read;
  };
  const { request, inputsHash, asOf } = await prepare(await timedRead(recorded?.asOf), parameters, recorded);
  // The folded inputs are garbage now: collected before the solving thread builds its network.
  if (request.arrays.seekers >= COLLECT_FROM) collectGarbage();
  const multipliers = multipliersOf(request);
  let pending = Promise.resolve();
  let solved: SolveResult;
  try {
    solved = await options.solve(request, (phase, done, total) => {
      pending = pending.then(() => report(phase, done, total));
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (error as Error).name === 'MatchingInputError')
      throw new RunRefusedError(code, (error as Error).message);
    throw error;
  }
  await pending;
  // Reading the files back for the proposals is the first step of recording them.
  await report('recording', 0, 1);
  const inputs = await timedRead(asOf);
  if ((await hashInputsAsync(inputs, parameters)) !== inputsHash)
    throw new Error(`run ${runId}: the inputs read again after solving differ from those solved`);
  await yieldTurn();
  const chunkSize = recorded?.chunkSize ?? options.chunkSize ?? RUN_CHUNK_SIZE;
  const proposals = proposalsOf(inputs, solved);
  const chunks: RunChunk[] = [];
  // Placement ids and digests are hashes: a few hundred thousand take seconds, in slices between turns.
  const slice = chunkSize * 40;
  for (let from = 0; from < proposals.length; from += slice) {
    chunks.push(...runChunks(runId, proposals.slice(from, from + slice), chunkSize, from / chunkSize));
    await yieldTurn();
  }
  const solution: RunSolution = {
    ...summaryOf(inputs, solved, inputsHash, multipliers, 0),
    engine: ENGINE,
    asOf: inputs.asOf,
    proposals: chunks.reduce((n, c) => n + c.proposals.length, 0),
    chunks: chunks.length,
    chunkSize,
    proposalsDigest: digestOf(chunks),
    timings: {
      inputs: Math.round(inputsMs),
      candidates: solved.milliseconds.candidates,
      optimiser: solved.milliseconds.optimiser,
      greedy: solved.milliseconds.greedy,
    },
  };
  if (recorded && solution.proposalsDigest !== recorded.proposalsDigest)
    throw new RunRefusedError('RUN_NOT_REPRODUCIBLE', 'solving again at the recorded checkpoint gave other proposals');
  return { solution, chunks, inputs };
};

/** The solver's arrays from the inputs, and their hash; the inputs themselves are not kept. */
const prepare = async (
  inputs: RunInputs,
  parameters: Extract<MatchingRun, { status: 'requested' }>['parameters'],
  recorded: RunSolution | undefined,
): Promise<{ request: SolveRequest; inputsHash: string; asOf: RunInputs['asOf'] }> => {
  const inputsHash = await hashInputsAsync(inputs, parameters);
  if (recorded && inputsHash !== recorded.inputsHash)
    throw new RunRefusedError(
      'RUN_NOT_REPRODUCIBLE',
      'the inputs read again at the recorded checkpoint differ from the run’s',
    );
  await yieldTurn();
  return { request: solveRequest(inputs, parameters, recorded?.multipliers), inputsHash, asOf: inputs.asOf };
};
