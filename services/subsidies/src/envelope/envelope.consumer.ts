import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ProgrammeTargetsSetV1 } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, eventIdFor } from '@tashghil/event-store';
import { OnEvent, type InboxContext } from '@tashghil/messaging';
import { envelopeStreamId, type EnvelopeLimitsSet } from './envelope.decider';

export const SUBSIDIES_CONSUMER = 'subsidies';

/**
 * Keeps each region's envelope from the conventions service's targets. The append runs in the
 * consumer's transaction, so the envelope, the inbox row and the offset commit together; its event id
 * is derived from the message's, so a redelivery is answered as already stored.
 */
@Controller()
export class EnvelopeConsumer {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @OnEvent(SUBSIDIES_CONSUMER, 'ProgrammeTargetsSet')
  async onTargets(@Payload() data: ProgrammeTargetsSetV1, @Ctx() ctx: InboxContext): Promise<void> {
    const event: EnvelopeLimitsSet = {
      type: 'EnvelopeLimitsSet',
      schemaVersion: 1,
      data: {
        region: data.region, programme: data.programme, year: data.year, revision: data.revision,
        components: data.components, reference: data.reference, sourceEventId: ctx.envelope.eventId,
      },
    };
    await this.store.appendInTransaction(ctx.tx, envelopeStreamId(data), [{
      eventId: eventIdFor(`subsidies:${ctx.envelope.eventId}`, 0),
      type: event.type,
      schemaVersion: 1,
      data: { ...event.data },
      metadata: { actor: 'subsidies-consumer', roles: [], correlationId: String(ctx.envelope.metadata.correlationId ?? ctx.envelope.eventId), causationId: ctx.envelope.eventId },
    }], 'any');
  }
}
