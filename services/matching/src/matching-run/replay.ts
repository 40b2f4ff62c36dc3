import { IllegalStateError, loadAggregate, NotFoundError, type EventStore } from '@tashghil/event-store';
import { digestOf, runChunks } from './batch-run.workflow';
import { matchingRunDecider, matchingRunStreamId, type RecordedProposal } from './matching-run.decider';
import { checkChunks } from './run-chunks';
import { hashInputs, loadRunInputs } from './run-inputs';
import { ENGINE, proposalsOf, solveRequest } from './run-matching';
import { solveRun, type Progress, type SolveRequest, type SolveResult } from './solve';

export interface MatchingRunReplay {
  readonly runId: string;
  readonly engine: { readonly recorded: string; readonly now: string };
  /** The inputs read again at the run's checkpoint hash to what the run recorded. */
  readonly sameInputs: boolean;
  /** Same objective and the same seeker–offer pairs, and the stored proposals intact. */
  readonly sameResult: boolean;
  readonly objective: { readonly recorded: number; readonly replayed: number };
  readonly differingProposals: number;
  /**
   * The stored proposals checked against the run's record: every chunk present, each matching its
   * digest, the digests giving the run's, and the replayed proposals giving the same digest.
   */
  readonly proposals: {
    readonly recorded: number;
    readonly replayed: number;
    readonly chunksIntact: boolean;
    readonly sameDigest: boolean;
  };
}

/** The solving: on this thread (an audit from the command line) or a worker's (the service). */
export type Solve = (request: SolveRequest, progress: Progress) => Promise<SolveResult>;
const solveHere: Solve = async (request) => solveRun(request);

/**
 * Re-runs a recorded run from the inputs as they stood at its checkpoint, with its parameters and
 * multipliers, and says whether it gives the same answer, and whether the proposals stored in its
 * chunks are the ones it recorded. What was written after the run does not change the inputs it
 * reads. Throws RUN_NOT_FOUND when there is no such run, RUN_NOT_SOLVED while it is still solving.
 */
export const replayMatchingRun = async (
  store: EventStore,
  runId: string,
  solve: Solve = solveHere,
): Promise<MatchingRunReplay> => {
  const { state } = await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId));
  if (state.status === 'none') throw new NotFoundError('RUN_NOT_FOUND', `no matching run ${runId}`);
  if (state.status !== 'solved' && state.status !== 'completed')
    throw new IllegalStateError('RUN_NOT_SOLVED', `run ${runId} is ${state.status}: there is no result to replay yet`);
  const { solution } = state;
  const legacy = state.status === 'completed' ? state.legacyProposals : undefined;
  const stored = legacy
    ? { intact: true, proposals: legacy }
    : await checkChunks(store, runId, { chunks: solution.chunks, proposalsDigest: solution.proposalsDigest });
  const inputs = await loadRunInputs(store, solution.asOf);
  const request = solveRequest(inputs, state.parameters, solution.multipliers);
  const again = await solve(request, () => {});
  const replayed = proposalsOf(inputs, again);
  const sameDigest = legacy
    ? true
    : digestOf(runChunks(runId, replayed, solution.chunkSize)) === solution.proposalsDigest;
  const key = (x: { seekerId: string; offerId: string }) => `${x.seekerId}>${x.offerId}`;
  const recorded = new Set(stored.proposals.map((p: RecordedProposal) => key(p)));
  const differing =
    replayed.filter((x) => !recorded.has(key(x))).length + Math.abs(stored.proposals.length - replayed.length);
  return {
    runId,
    engine: { recorded: solution.engine, now: ENGINE },
    sameInputs: hashInputs(inputs, state.parameters) === solution.inputsHash,
    sameResult:
      again.objective === solution.objective &&
      differing === 0 &&
      replayed.length === stored.proposals.length &&
      stored.intact &&
      sameDigest,
    objective: { recorded: solution.objective, replayed: again.objective },
    differingProposals: differing,
    proposals: {
      recorded: stored.proposals.length,
      replayed: replayed.length,
      chunksIntact: stored.intact,
      sameDigest,
    },
  };
};
