import { step, type CommandMetadata, type Step, type Workflow } from '@tashghil/event-store';
import { placementDecider, placementStreamId } from '../placement/placement.decider';
import { placementIdFor, proposalFor } from '../placement/proposal';
import { matchingRunDecider, matchingRunStreamId, type RunRecord } from './matching-run.decider';
import type { RunInputs } from './run-inputs';
import { ENGINE, type RunOutcome, type RunParameters } from './run-matching';

/** What the engine found, as the run records it: parameters, engine, inputs checkpoint, and each assignment's placement id. */
export const runRecord = (
  runId: string,
  parameters: RunParameters,
  inputs: RunInputs,
  outcome: RunOutcome,
): RunRecord => ({
  ...outcome,
  runId,
  parameters,
  engine: ENGINE,
  asOf: inputs.asOf,
  proposals: outcome.proposals.map((p) => ({
    seekerId: p.seekerId,
    offerId: p.offerId,
    placementId: placementIdFor(p.seekerId, p.offerId, runId),
    score: p.score,
    weight: p.weight,
  })),
});

/**
 * Each assignment of a recorded run proposed as a placement, built from the files as the run read
 * them. A placement's id and its command's id come from the run and the seeker, so proposing a run's
 * assignments again finds them applied.
 */
export const runProposals = (
  run: Pick<RunRecord, 'runId' | 'parameters' | 'proposals'>,
  inputs: RunInputs,
  metadata: CommandMetadata,
): Step[] => {
  const seekers = new Map(inputs.seekers.map((s) => [s.seekerId, s]));
  const offers = new Map(inputs.offers.map((o) => [o.offerId, o]));
  return run.proposals.flatMap((p) => {
    const seeker = seekers.get(p.seekerId);
    const offer = offers.get(p.offerId);
    const proposal = seeker && offer ? proposalFor(seeker, offer, run.parameters.on, run.runId) : undefined;
    if (!proposal) return [];
    const follow: CommandMetadata = {
      ...metadata,
      causationId: metadata.commandId,
      commandId: `run:${run.runId}:${p.seekerId}`,
    };
    return [
      step({
        decider: placementDecider,
        streamId: placementStreamId(proposal.placementId),
        command: { type: 'ProposePlacement', data: proposal, metadata: follow },
      }),
    ];
  });
};

/**
 * A national batch run: the run recorded with what the engine found, and each of its assignments
 * proposed as a placement, all in one transaction, so no run stands without its proposals nor a
 * proposal without its run, however many thousand there are.
 */
export const batchRun = (record: RunRecord, inputs: RunInputs, metadata: CommandMetadata): Workflow => [
  step({
    decider: matchingRunDecider,
    streamId: matchingRunStreamId(record.runId),
    command: { type: 'RecordMatchingRun', data: record, metadata },
  }),
  ...runProposals(record, inputs, metadata),
];
