import {
  IllegalStateError,
  NotFoundError,
  type Checkpoint,
  type Command,
  type ModelledDecider,
  type QueryModel,
} from '@tashghil/event-store';
import type { RunCertificate, RunParameters } from './run-matching';

/** One assignment as the run records it, in its chunk. */
export interface RecordedProposal {
  readonly seekerId: string;
  readonly offerId: string;
  readonly placementId: string;
  readonly score: number;
  readonly weight: number;
}

/**
 * What the engine found, without the proposals themselves: everything an auditor needs to run it
 * again (parameters, engine, where the inputs were read, their hash, the multipliers) and to check
 * what is stored (the objective, its certificate, and the digest of the proposals' chunks).
 */
export interface RunSolution {
  readonly engine: string;
  readonly asOf: Checkpoint;
  readonly inputsHash: string;
  readonly multipliers: Readonly<Record<string, number>>;
  readonly objective: number;
  readonly greedyObjective: number;
  readonly certificate: RunCertificate;
  readonly placed: number;
  readonly seekers: number;
  readonly offers: number;
  readonly arcs: number;
  readonly milliseconds: number;
  /** Where the time went, in milliseconds (absent from runs recorded before runs were jobs); `inputs` counts both reads. */
  readonly timings?: {
    readonly inputs: number;
    readonly candidates: number;
    readonly optimiser: number;
    readonly greedy: number;
  };
  /** How many proposals, in how many chunks of at most `chunkSize`, and the digest over the chunks' digests. */
  readonly proposals: number;
  readonly chunks: number;
  readonly chunkSize: number;
  readonly proposalsDigest: string;
}

export type RequestMatchingRun = Command<
  'RequestMatchingRun',
  { readonly runId: string; readonly parameters: RunParameters }
>;
export type RecordRunSolution = Command<'RecordRunSolution', RunSolution>;
export type CompleteMatchingRun = Command<'CompleteMatchingRun', Record<string, never>>;
export type FailMatchingRun = Command<'FailMatchingRun', { readonly code: string; readonly message: string }>;
export type MatchingRunCommand = RequestMatchingRun | RecordRunSolution | CompleteMatchingRun | FailMatchingRun;

type Requested = { readonly runId: string; readonly parameters: RunParameters };

/**
 * Runs recorded before runs were jobs: one event with every proposal in it. Read as they are; a
 * replay checks their proposals in place of chunks.
 */
type LegacyRecord = Requested &
  Omit<RunSolution, 'certificate' | 'proposals' | 'chunks' | 'chunkSize' | 'proposalsDigest'> & {
    readonly proposals: readonly RecordedProposal[];
    readonly recordedAt: string;
    readonly recordedBy: string;
  };

export type MatchingRunEvent =
  | {
      readonly type: 'MatchingRunRequested';
      readonly schemaVersion: 1;
      readonly data: Requested & { readonly requestedAt: string; readonly requestedBy: string };
    }
  | {
      readonly type: 'MatchingRunSolved';
      readonly schemaVersion: 1;
      readonly data: RunSolution & { readonly runId: string; readonly solvedAt: string };
    }
  | {
      readonly type: 'MatchingRunCompleted';
      readonly schemaVersion: 2;
      readonly data: { readonly runId: string; readonly completedAt: string };
    }
  | {
      readonly type: 'MatchingRunFailed';
      readonly schemaVersion: 1;
      readonly data: {
        readonly runId: string;
        readonly code: string;
        readonly message: string;
        readonly failedAt: string;
      };
    };

type Base = Requested & { readonly requestedAt: string; readonly requestedBy: string };
export type MatchingRun =
  | { readonly status: 'none' }
  | (Base & { readonly status: 'requested' })
  | (Base & { readonly status: 'solved'; readonly solution: RunSolution; readonly solvedAt: string })
  | (Base & {
      readonly status: 'completed';
      readonly solution: RunSolution;
      readonly solvedAt: string;
      readonly completedAt: string;
      /** Only for a run recorded before chunks: its proposals, from its one event. */
      readonly legacyProposals?: readonly RecordedProposal[];
    })
  | (Base & {
      readonly status: 'failed';
      readonly failure: { readonly code: string; readonly message: string; readonly at: string };
    });

export const matchingRunStreamId = (runId: string): string => `matching.run-${runId}`;

const initialState = (): MatchingRun => ({ status: 'none' });

/** A schema-1 MatchingRunCompleted, as stored before runs were jobs. */
const fromLegacy = (d: LegacyRecord): MatchingRun => {
  const { runId, parameters, proposals, recordedAt, recordedBy, ...rest } = d;
  return {
    status: 'completed',
    runId,
    parameters,
    requestedAt: recordedAt,
    requestedBy: recordedBy,
    solvedAt: recordedAt,
    completedAt: recordedAt,
    solution: {
      ...rest,
      certificate: { dualBound: d.objective, optimal: true },
      proposals: proposals.length,
      chunks: 0,
      chunkSize: 0,
      proposalsDigest: '',
    },
    legacyProposals: proposals,
  };
};

const evolve = (s: MatchingRun, e: MatchingRunEvent): MatchingRun => {
  switch (e.type) {
    case 'MatchingRunRequested': {
      const { runId, parameters, requestedAt, requestedBy } = e.data;
      return { status: 'requested', runId, parameters, requestedAt, requestedBy };
    }
    case 'MatchingRunSolved': {
      if (s.status !== 'requested') return s;
      const { runId: _r, solvedAt, ...solution } = e.data;
      return { ...s, status: 'solved', solution, solvedAt };
    }
    case 'MatchingRunCompleted': {
      const data: unknown = e.data;
      if (Array.isArray((data as { proposals?: unknown }).proposals)) return fromLegacy(data as LegacyRecord);
      return s.status === 'solved' ? { ...s, status: 'completed', completedAt: e.data.completedAt } : s;
    }
    case 'MatchingRunFailed': {
      if (s.status !== 'requested' && s.status !== 'solved') return s;
      const { code, message, failedAt } = e.data;
      return {
        status: 'failed',
        runId: s.runId,
        parameters: s.parameters,
        requestedAt: s.requestedAt,
        requestedBy: s.requestedBy,
        failure: { code, message, at: failedAt },
      };
    }
    default: {
      const _exhaustive: never = e;
      return s;
    }
  }
};

const runOf = (s: MatchingRun) => {
  if (s.status === 'none') throw new NotFoundError('RUN_NOT_FOUND', 'no such matching run');
  return s;
};

/**
 * A run is requested once; solved once, from requested; completed once its proposals are stored;
 * failed only while it is still running.
 */
const decide = (c: MatchingRunCommand, s: MatchingRun): MatchingRunEvent[] => {
  switch (c.type) {
    case 'RequestMatchingRun':
      if (s.status !== 'none')
        throw new IllegalStateError('RUN_ALREADY_RECORDED', `run ${c.data.runId} is already recorded`);
      return [
        {
          type: 'MatchingRunRequested',
          schemaVersion: 1,
          data: { ...c.data, requestedAt: c.metadata.now, requestedBy: c.metadata.actor },
        },
      ];
    case 'RecordRunSolution': {
      const run = runOf(s);
      if (run.status !== 'requested')
        throw new IllegalStateError(
          'RUN_NOT_RUNNING',
          `run ${run.runId} is ${run.status}, not waiting for its solution`,
        );
      return [
        {
          type: 'MatchingRunSolved',
          schemaVersion: 1,
          data: { ...c.data, runId: run.runId, solvedAt: c.metadata.now },
        },
      ];
    }
    case 'CompleteMatchingRun': {
      const run = runOf(s);
      if (run.status !== 'solved')
        throw new IllegalStateError('RUN_NOT_SOLVED', `run ${run.runId} is ${run.status}, not solved`);
      return [
        { type: 'MatchingRunCompleted', schemaVersion: 2, data: { runId: run.runId, completedAt: c.metadata.now } },
      ];
    }
    case 'FailMatchingRun': {
      const run = runOf(s);
      if (run.status !== 'requested' && run.status !== 'solved')
        throw new IllegalStateError('RUN_NOT_RUNNING', `run ${run.runId} is ${run.status}`);
      return [
        {
          type: 'MatchingRunFailed',
          schemaVersion: 1,
          data: { ...c.data, runId: run.runId, failedAt: c.metadata.now },
        },
      ];
    }
    default: {
      const _exhaustive: never = c;
      throw new NotFoundError('UNKNOWN_COMMAND', String(c));
    }
  }
};

/** Runs listed newest first, by status; a run's proposals are in its chunks, not here. */
export const matchingRunsModel: QueryModel<MatchingRun> = {
  table: 'q.matching_runs',
  category: 'matching.run',
  columns: {
    run_id: 'text',
    status: 'text',
    requested_at: 'timestamptz',
    run_on: 'date',
    objective: 'bigint',
    placed: 'integer',
    proposals: 'integer',
  },
  indexes: ['requested_at, stream_id', 'status, requested_at, stream_id'],
  row: (s) =>
    s.status === 'none'
      ? null
      : {
          run_id: s.runId,
          status: s.status,
          requested_at: s.requestedAt,
          run_on: s.parameters.on,
          objective: 'solution' in s ? s.solution.objective : null,
          placed: 'solution' in s ? s.solution.placed : null,
          proposals: 'solution' in s ? s.solution.proposals : null,
        },
};

export const matchingRunDecider: ModelledDecider<MatchingRunCommand, MatchingRun, MatchingRunEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: matchingRunsModel,
};
