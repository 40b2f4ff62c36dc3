import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  EVENT_STORE,
  EventStore,
  handleCommand,
  subscribe,
  type CommandMetadata,
  type RecordedEvent,
  type Subscription,
} from '@tashghil/event-store';
import { placementDecider, placementStreamId } from '../placement/placement.decider';
import { proposalFor } from '../placement/placement.controller';
import { loadRunInputs } from './run-inputs';
import { scoreMatch } from './scoring';

/** How many seekers a newly opened offer is proposed, per position: enough for refusals and interviews. */
export const STREAM_PROPOSALS_PER_POSITION = 3;
export const STREAM_MAX_PROPOSALS = 50;

/**
 * Streaming mode: when an offer is published, or opens to other regions, the best available seekers
 * are proposed at once, without waiting for a batch run. Each proposal's command id is derived from
 * the offer, the step and the seeker, so a redelivered event proposes nothing twice.
 */
export const proposeForOffer = async (store: EventStore, event: RecordedEvent): Promise<number> => {
  const offerId = String(event.data.offerId);
  const inputs = await loadRunInputs(store);
  const offer = inputs.offers.find((o) => o.offerId === offerId);
  if (!offer) return 0;
  const on = String(event.data.on ?? event.recordedAt.slice(0, 10));
  const open = (region: string) =>
    region === offer.region || offer.openToOtherRegions || offer.abroadCountry !== undefined;
  const ranked = inputs.seekers
    .filter((s) => open(s.region))
    .map((s) => ({ s, score: scoreMatch(s, offer, on) }))
    // As in batch runs, a candidate shares at least the offer's major occupation group.
    .filter(
      (x): x is { s: typeof x.s; score: NonNullable<typeof x.score> } =>
        x.score !== undefined && x.score.parts.occupation > 0,
    )
    .sort((a, b) => b.score.total - a.score.total || (a.s.seekerId < b.s.seekerId ? -1 : 1))
    .slice(0, Math.min(STREAM_MAX_PROPOSALS, (offer.positions - offer.filled) * STREAM_PROPOSALS_PER_POSITION));
  // One run id per offer, whichever step opened it: a seeker is proposed an offer once.
  const runId = `stream-${offerId}`;
  let proposed = 0;
  for (const { s } of ranked) {
    const proposal = proposalFor(s, offer, on, runId);
    if (!proposal) continue;
    const metadata: CommandMetadata = {
      now: event.recordedAt,
      actor: 'matching-streaming',
      roles: ['admin'],
      correlationId: String(event.metadata.correlationId ?? event.eventId),
      causationId: event.eventId,
      commandId: `stream:${offerId}:${s.seekerId}`,
    };
    const { events } = await handleCommand(store, placementDecider, placementStreamId(proposal.placementId), {
      type: 'ProposePlacement',
      data: proposal,
      metadata,
    });
    proposed += events.length;
  }
  return proposed;
};

export const STREAMING_ENABLED = (): boolean => (process.env.MATCHING_STREAMING ?? 'true') !== 'false';

@Injectable()
export class StreamingProposals implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!STREAMING_ENABLED()) return;
    this.subscription = await subscribe(this.store, {
      name: 'matching:streaming-proposals',
      filter: { categories: ['matching.offer'], decrypt: false },
      batchSize: 50,
      transactional: false,
      handle: async (events) => {
        for (const e of events) {
          if (e.type === 'OfferPublished' || e.type === 'OfferOpenedToOtherRegions')
            await proposeForOffer(this.store, e);
        }
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
  }
}
