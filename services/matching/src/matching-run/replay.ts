import { loadAggregate, NotFoundError, type EventStore } from '@tashghil/event-store';
import { matchingRunDecider, matchingRunStreamId } from './matching-run.decider';
import { loadRunInputs } from './run-inputs';
import { ENGINE, runMatching } from './run-matching';

export interface MatchingRunReplay {
  readonly runId: string;
  readonly engine: { readonly recorded: string; readonly now: string };
  /** The inputs read again at the run's checkpoint hash to what the run recorded. */
  readonly sameInputs: boolean;
  /** Same objective and the same seeker–offer pairs. */
  readonly sameResult: boolean;
  readonly objective: { readonly recorded: number; readonly replayed: number };
  readonly differingProposals: number;
}

/**
 * Re-runs a recorded run from the inputs as they stood at its checkpoint, with its parameters and
 * multipliers, and says whether it gives the same answer. What was written after the run does not
 * change the inputs it reads. Throws RUN_NOT_FOUND when there is no such run.
 */
export const replayMatchingRun = async (store: EventStore, runId: string): Promise<MatchingRunReplay> => {
  const { state } = await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId));
  if (state.status === 'none') throw new NotFoundError('RUN_NOT_FOUND', `no matching run ${runId}`);
  const inputs = await loadRunInputs(store, state.asOf);
  const again = runMatching(inputs, state.parameters, state.multipliers);
  const key = (x: { seekerId: string; offerId: string }) => `${x.seekerId}>${x.offerId}`;
  const recorded = new Set(state.proposals.map(key));
  const differing =
    again.proposals.filter((x) => !recorded.has(key(x))).length +
    Math.abs(state.proposals.length - again.proposals.length);
  return {
    runId,
    engine: { recorded: state.engine, now: ENGINE },
    sameInputs: again.inputsHash === state.inputsHash,
    sameResult:
      again.objective === state.objective && differing === 0 && again.proposals.length === state.proposals.length,
    objective: { recorded: state.objective, replayed: again.objective },
    differingProposals: differing,
  };
};
