import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  EVENT_STORE,
  EventStore,
  handleWorkflow,
  loadAggregate,
  loadStreams,
  subscribe,
  type RecordedEvent,
} from '@tashghil/event-store';
import { leaseHolderId, pause, runWhileLeased, saveFencedCheckpoint, type LeaseRunner } from '@tashghil/messaging';
import { LOGGER, SERVICE_ENV, type StoreSubscriptionLag } from '@tashghil/service-kit';
import type { Logger } from 'pino';
import { offerDecider, offerStreamId } from '../offer/offer.decider';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import type { ActiveSeeker, OpenOffer } from './run-inputs';
import { bestSeekersFor } from './seeker-pool';
import { proposalsForOffer, streamLimit } from './streaming.workflow';

/**
 * Streaming mode: when an offer is published, or opens to other regions, the best available seekers
 * are proposed at once, without waiting for a batch run, in one transaction. The offer is read from
 * its stream; the seekers from q.seekers by trade, region and mobility (seeker-pool.ts); the chosen
 * few from their streams, as the placement records them. Answers how many were proposed.
 */
export const proposeForOffer = async (store: EventStore, event: RecordedEvent): Promise<number> => {
  const offerId = String(event.data.offerId);
  const { state } = await loadAggregate(store, offerDecider, offerStreamId(offerId));
  if (state.status !== 'published' || state.filled >= state.positions) return 0;
  const offer: OpenOffer = state;
  const on = String(event.data.on ?? event.recordedAt.slice(0, 10));
  const best = await bestSeekersFor(store.db, offer, on, streamLimit(offer));
  const files = await loadStreams(
    store,
    seekerDecider,
    best.map((b) => seekerStreamId(b.seeker.seekerId)),
  );
  const seekers = [...files.values()].flatMap(({ state: s }): ActiveSeeker[] => (s.status === 'registered' ? [s] : []));
  const workflow = proposalsForOffer(offer, seekers, on, {
    now: event.recordedAt,
    actor: 'matching-streaming',
    roles: ['admin'],
    correlationId: String(event.metadata.correlationId ?? event.eventId),
    causationId: event.eventId,
  });
  return (await handleWorkflow(store, workflow)).written;
};

/** Streaming mode is on unless the service was started with MATCHING_STREAMING=false. */
export const streamingEnabled = (env: NodeJS.ProcessEnv): boolean => (env.MATCHING_STREAMING ?? 'true') !== 'false';

/** The subscription streaming mode runs, as its lease, its checkpoint and /metrics name it. */
export const STREAMING_SUBSCRIPTION = {
  name: 'matching:streaming-proposals',
  categories: ['matching.offer'],
  types: ['OfferPublished', 'OfferOpenedToOtherRegions'],
} as const;

/** The subscriptions whose lag a matching process reports: streaming proposals, unless turned off. */
export const matchingSubscriptions = (env: NodeJS.ProcessEnv): readonly StoreSubscriptionLag[] =>
  streamingEnabled(env) ? [STREAMING_SUBSCRIPTION] : [];

/**
 * The subscription runs on one replica at a time, the one holding the lease
 * `matching:streaming-proposals`; another takes over within seconds of its stop. Its checkpoint is
 * saved under the lease's fencing token and only forward, so a replica that stalled past its lease
 * cannot move it; and a proposal's command id is the offer's and the seeker's, so an event handled
 * twice around a handover proposes nothing twice.
 */
@Injectable()
export class StreamingProposals implements OnApplicationBootstrap, OnModuleDestroy {
  private runner: LeaseRunner | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(SERVICE_ENV) private readonly env: NodeJS.ProcessEnv,
  ) {}

  onApplicationBootstrap(): void {
    if (!streamingEnabled(this.env)) return;
    const { name, categories, types } = STREAMING_SUBSCRIPTION;
    const acted: ReadonlySet<string> = new Set(types);
    this.runner = runWhileLeased(
      this.store.db,
      name,
      leaseHolderId(),
      async (signal, lease) => {
        const subscription = await subscribe(this.store, {
          name,
          saveCheckpoint: (db, at) => saveFencedCheckpoint(db, lease, name, at),
          filter: { categories: [...categories], decrypt: false },
          batchSize: 50,
          transactional: false,
          handle: async (events) => {
            for (const e of events) if (acted.has(e.type)) await proposeForOffer(this.store, e);
          },
        });
        while (!signal.aborted) await pause(60_000, signal);
        await subscription.stop();
      },
      { onError: (error) => this.log.warn({ err: error }, 'streaming proposals: lease or subscription failed') },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
  }
}
