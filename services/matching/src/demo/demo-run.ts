import {
  ensureQueryModel,
  handleWorkflow,
  loadAggregate,
  type CommandMetadata,
  type EventStore,
} from '@tashghil/event-store';
import { runStep } from '../matching-run/batch-run.workflow';
import {
  matchingRunDecider,
  matchingRunStreamId,
  type MatchingRun,
  type RecordedProposal,
} from '../matching-run/matching-run.decider';
import { readChunks } from '../matching-run/run-chunks';
import { executeRun } from '../matching-run/run-job';
import type { RunParameters } from '../matching-run/run-matching';
import { solveRun } from '../matching-run/solve';

export type { RunParameters } from '../matching-run/run-matching';
/** A completed run with its proposals read back from its chunks (or its one event, for a run recorded before chunks). */
export type CompletedRun = Extract<MatchingRun, { status: 'completed' }> & {
  readonly proposals: readonly RecordedProposal[];
};

/** The run as recorded, with its proposals, or undefined when it is not completed. */
export const recordedRun = async (store: EventStore, runId: string): Promise<CompletedRun | undefined> => {
  const { state } = await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId));
  if (state.status !== 'completed') return undefined;
  const proposals =
    state.legacyProposals ??
    (await readChunks(store, runId, 0, state.solution.chunks)).flatMap((chunk) => chunk.proposals);
  return { ...state, proposals };
};

/**
 * `POST /matching-runs` for the demo seeding, which has no HTTP request: the same request, the same
 * job and the same records as the service's, run to its end before answering, on this thread (a
 * seeding has nothing else to serve), every step dated `metadata.now`.
 *
 * A run already completed is not run again; one a crash interrupted is taken up where it stopped.
 */
export const recordBatchRun = async (
  store: EventStore,
  runId: string,
  parameters: RunParameters,
  metadata: CommandMetadata,
): Promise<CompletedRun> => {
  await ensureQueryModel(store, matchingRunDecider);
  const { state } = await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId));
  if (state.status === 'none')
    await handleWorkflow(store, [
      runStep(runId, { type: 'RequestMatchingRun', data: { runId, parameters } }, metadata),
    ]);
  const { commandId: _c, now, ...who } = metadata;
  const run = await executeRun(store, runId, {
    solve: async (request) => solveRun(request),
    metadata: who,
    now: () => now,
  });
  const completed = await recordedRun(store, runId);
  if (!completed) throw new Error(`run ${runId} was not completed: ${run.status}`);
  return completed;
};
