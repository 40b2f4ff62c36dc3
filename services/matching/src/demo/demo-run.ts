import { handleCommand, loadAggregate, type CommandMetadata, type EventStore } from '@tashghil/event-store';
import {
  matchingRunDecider,
  matchingRunStreamId,
  type MatchingRun,
  type RunRecord,
} from '../matching-run/matching-run.decider';
import { loadRunInputs, type RunInputs } from '../matching-run/run-inputs';
import { ENGINE, runMatching, type RunParameters } from '../matching-run/run-matching';
import { offerDecider, offerStreamId } from '../offer/offer.decider';
import { placementIdFor, proposalFor } from '../placement/placement.controller';
import { placementDecider, placementStreamId, type Hire, type Placement } from '../placement/placement.decider';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import { commandBatch, type Handle } from './demo-batch';

export type { RunParameters } from '../matching-run/run-matching';
export type CompletedRun = Extract<MatchingRun, { status: 'completed' }>;

/** The run as recorded, or undefined when there is none. */
export const recordedRun = async (store: EventStore, runId: string): Promise<CompletedRun | undefined> => {
  const { state } = await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId));
  return state.status === 'completed' ? state : undefined;
};

/**
 * `POST /matching-runs` for the demo seeding, which has no HTTP request: the same inputs, the same
 * optimiser, the same RecordMatchingRun and the same ProposePlacement commands with the same ids as
 * the controller, which keeps these steps inline. A change there is a change here. The proposals
 * are appended in one transaction rather than one each, which a first start on PGlite notices.
 *
 * A run already recorded is not run again: its proposals are rebuilt from the inputs as they stood
 * at its checkpoint, so seeding that stopped halfway finishes the same proposals.
 */
export const recordBatchRun = async (
  store: EventStore,
  runId: string,
  parameters: RunParameters,
  metadata: CommandMetadata,
): Promise<CompletedRun> => {
  const streamId = matchingRunStreamId(runId);
  let { state } = await loadAggregate(store, matchingRunDecider, streamId);
  let fresh: RunInputs | undefined;
  if (state.status === 'none') {
    const inputs = await loadRunInputs(store);
    fresh = inputs;
    const outcome = runMatching(inputs, parameters);
    const record: RunRecord = {
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
    };
    ({ state } = await handleCommand(store, matchingRunDecider, streamId, {
      type: 'RecordMatchingRun',
      data: record,
      metadata,
    }));
  }
  if (state.status !== 'completed') throw new Error(`run ${runId} was not recorded`);
  const inputs = fresh ?? (await loadRunInputs(store, state.asOf));
  const seekers = new Map(inputs.seekers.map((s) => [s.seekerId, s]));
  const offers = new Map(inputs.offers.map((o) => [o.offerId, o]));
  // A placement of this run has an id only this run's proposal creates: a repeat finds its events
  // stored under the same ids and writes nothing.
  const batch = commandBatch();
  for (const p of state.proposals) {
    const seeker = seekers.get(p.seekerId);
    const offer = offers.get(p.offerId);
    const proposal = seeker && offer ? proposalFor(seeker, offer, state.parameters.on, runId) : undefined;
    if (!proposal) continue;
    const follow: CommandMetadata = {
      ...metadata,
      causationId: metadata.commandId,
      commandId: `run:${runId}:${p.seekerId}`,
    };
    batch.handle(placementDecider, placementStreamId(proposal.placementId), {
      type: 'ProposePlacement',
      data: proposal,
      metadata: follow,
    });
  }
  await batch.commit(() => store);
  return state;
};

/**
 * `POST /placements/:id/hire` without its HTTP edge: the hire, then the seeker marked placed and the
 * position counted on the offer, with the controller's derived command ids, each decided on a batch.
 */
export const recordHire = (handle: Handle, placementId: string, hire: Hire, metadata: CommandMetadata): Placement => {
  const state = handle(placementDecider, placementStreamId(placementId), { type: 'RecordHire', data: hire, metadata });
  if (state.status !== 'hired' || !state.hire) return state;
  const follow = (suffix: string): CommandMetadata => ({
    ...metadata,
    causationId: metadata.commandId,
    commandId: `hire:${placementId}:${suffix}`,
  });
  handle(seekerDecider, seekerStreamId(state.seekerId), {
    type: 'RecordSeekerHired',
    data: { offerId: state.offerId, placementId, startDate: state.hire.startDate },
    metadata: follow('seeker'),
  });
  handle(offerDecider, offerStreamId(state.offerId), {
    type: 'RecordPositionFilled',
    data: { placementId },
    metadata: follow('offer'),
  });
  return state;
};
