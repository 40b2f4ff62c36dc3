import { step, type CommandMetadata, type Step, type Workflow } from '@tashghil/event-store';
import { placementDecider, placementStreamId } from '../placement/placement.decider';
import { placementIdFor, proposalFor } from '../placement/proposal';
import {
  matchingRunDecider,
  matchingRunStreamId,
  type MatchingRunCommand,
  type RecordedProposal,
} from './matching-run.decider';
import type { RunInputs } from './run-inputs';
import type { RunParameters, RunProposal } from './run-matching';
import { chunkDigest, proposalsDigest, runChunkStreamId, runProposalsDecider } from './run-proposals.decider';

export interface RunChunk {
  readonly chunk: number;
  readonly proposals: readonly RecordedProposal[];
  readonly digest: string;
}

/**
 * A run's proposals with their placement ids, cut into chunks of `size`, each with its digest,
 * numbered from `first` (the proposals given start chunk `first`).
 */
export const runChunks = (runId: string, proposals: readonly RunProposal[], size: number, first = 0): RunChunk[] => {
  const chunks: RunChunk[] = [];
  for (let k = 0; k * size < proposals.length; k += 1) {
    const slice = proposals.slice(k * size, (k + 1) * size).map(
      (p): RecordedProposal => ({
        seekerId: p.seekerId,
        offerId: p.offerId,
        placementId: placementIdFor(p.seekerId, p.offerId, runId),
        score: p.score,
        weight: p.weight,
      }),
    );
    chunks.push({ chunk: first + k, proposals: slice, digest: chunkDigest(slice) });
  }
  return chunks;
};

export const digestOf = (chunks: readonly RunChunk[]): string => proposalsDigest(chunks.map((c) => c.digest));

/**
 * A step on the run's own stream. The job's steps have one command id per run and step (`name`), so
 * a run resumed repeats none; the request keeps the caller's (an Idempotency-Key).
 */
export const runStep = (
  runId: string,
  command: Omit<MatchingRunCommand, 'metadata'>,
  metadata: CommandMetadata,
  name?: string,
): Step =>
  step({
    decider: matchingRunDecider,
    streamId: matchingRunStreamId(runId),
    command: {
      ...command,
      metadata: name ? { ...metadata, commandId: `run:${runId}:${name}` } : metadata,
    } as MatchingRunCommand,
  });

/**
 * One chunk of a run, stored with the placements it proposes in one transaction, built from the
 * files as the run read them. The chunk's command id comes from the run and the chunk, and each
 * placement's from the run and the seeker: storing a chunk again (a run resumed after a crash)
 * finds it applied, and proposes nothing twice.
 */
export const chunkWorkflow = (
  run: { readonly runId: string; readonly parameters: RunParameters },
  chunk: RunChunk,
  inputs: {
    readonly seeker: (id: string) => RunInputs['seekers'][number] | undefined;
    readonly offer: (id: string) => RunInputs['offers'][number] | undefined;
  },
  metadata: CommandMetadata,
): Workflow => {
  const follow: CommandMetadata = { ...metadata, causationId: `run:${run.runId}:solved` };
  return [
    step({
      decider: runProposalsDecider,
      streamId: runChunkStreamId(run.runId, chunk.chunk),
      command: {
        type: 'RecordRunProposals',
        data: { runId: run.runId, chunk: chunk.chunk, proposals: chunk.proposals, digest: chunk.digest },
        metadata: { ...follow, commandId: `run:${run.runId}:chunk:${chunk.chunk}` },
      },
    }),
    ...chunk.proposals.flatMap((p) => {
      const seeker = inputs.seeker(p.seekerId);
      const offer = inputs.offer(p.offerId);
      const proposal = seeker && offer ? proposalFor(seeker, offer, run.parameters.on, run.runId) : undefined;
      if (!proposal) return [];
      return [
        step({
          decider: placementDecider,
          streamId: placementStreamId(proposal.placementId),
          command: {
            type: 'ProposePlacement',
            data: proposal,
            metadata: { ...follow, commandId: `run:${run.runId}:${p.seekerId}` },
          },
        }),
      ];
    }),
  ];
};

/** Looks seekers and offers up by id in the inputs a run read. */
export const lookupsOf = (inputs: RunInputs) => {
  const seekers = new Map(inputs.seekers.map((s) => [s.seekerId, s]));
  const offers = new Map(inputs.offers.map((o) => [o.offerId, o]));
  return { seeker: (id: string) => seekers.get(id), offer: (id: string) => offers.get(id) };
};
