import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  EVENT_STORE,
  EventStore,
  handleWorkflow,
  subscribe,
  type RecordedEvent,
  type Subscription,
} from '@tashghil/event-store';
import { loadRunInputs } from './run-inputs';
import { proposalsForOffer } from './streaming.workflow';

/**
 * Streaming mode: when an offer is published, or opens to other regions, the best available seekers
 * are proposed at once, without waiting for a batch run, in one transaction. Answers how many were
 * proposed.
 */
export const proposeForOffer = async (store: EventStore, event: RecordedEvent): Promise<number> => {
  const workflow = proposalsForOffer(
    await loadRunInputs(store),
    String(event.data.offerId),
    String(event.data.on ?? event.recordedAt.slice(0, 10)),
    {
      now: event.recordedAt,
      actor: 'matching-streaming',
      roles: ['admin'],
      correlationId: String(event.metadata.correlationId ?? event.eventId),
      causationId: event.eventId,
    },
  );
  return (await handleWorkflow(store, workflow)).written;
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
