import { handleWorkflow, loadAggregate, type CommandMetadata, type EventStore } from '@tashghil/event-store';
import { batchRun, runProposals, runRecord } from '../matching-run/batch-run.workflow';
import { matchingRunDecider, matchingRunStreamId, type MatchingRun } from '../matching-run/matching-run.decider';
import { loadRunInputs } from '../matching-run/run-inputs';
import { runMatching, type RunParameters } from '../matching-run/run-matching';

export type { RunParameters } from '../matching-run/run-matching';
export type CompletedRun = Extract<MatchingRun, { status: 'completed' }>;

/** The run as recorded, or undefined when there is none. */
export const recordedRun = async (store: EventStore, runId: string): Promise<CompletedRun | undefined> => {
  const { state } = await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId));
  return state.status === 'completed' ? state : undefined;
};

/**
 * `POST /matching-runs` for the demo seeding, which has no HTTP request: the same inputs, the same
 * optimiser and the same workflow as the controller, the run and its proposals in one transaction.
 *
 * A run already recorded is not run again. Its proposals are proposed again from the inputs as they
 * stood at its checkpoint, which finds them applied; a run recorded by an older seeding, whose
 * proposals were written one by one and may have stopped halfway, gets the ones it lacks.
 */
export const recordBatchRun = async (
  store: EventStore,
  runId: string,
  parameters: RunParameters,
  metadata: CommandMetadata,
): Promise<CompletedRun> => {
  const recorded = await recordedRun(store, runId);
  if (recorded) {
    await handleWorkflow(store, runProposals(recorded, await loadRunInputs(store, recorded.asOf), metadata));
    return recorded;
  }
  const inputs = await loadRunInputs(store);
  const record = runRecord(runId, parameters, inputs, runMatching(inputs, parameters));
  const result = await handleWorkflow(store, batchRun(record, inputs, metadata));
  const { state } = await result.stream(matchingRunDecider, matchingRunStreamId(runId));
  if (state.status !== 'completed') throw new Error(`run ${runId} was not recorded`);
  return state;
};
