import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ProgrammeTargetsSetV1 } from '@tashghil/contracts';
import { EVENT_STORE, EventStore } from '@tashghil/event-store';
import { OnEvent, recordFromMessage, type InboxContext } from '@tashghil/messaging';
import { envelopeStreamId, type EnvelopeLimitsSet } from './envelope.decider';

export const SUBSIDIES_CONSUMER = 'subsidies';

/** Keeps each region's envelope from the conventions service's targets, one revision at a time. */
@Controller()
export class EnvelopeConsumer {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @OnEvent(SUBSIDIES_CONSUMER, 'ProgrammeTargetsSet')
  async onTargets(@Payload() p: ProgrammeTargetsSetV1, @Ctx() ctx: InboxContext): Promise<void> {
    const data: EnvelopeLimitsSet['data'] = {
      region: p.region,
      programme: p.programme,
      year: p.year,
      revision: p.revision,
      components: p.components,
      reference: p.reference,
      sourceEventId: ctx.envelope.eventId,
    };
    await recordFromMessage(this.store, ctx, SUBSIDIES_CONSUMER, envelopeStreamId(p), 'EnvelopeLimitsSet', { ...data });
  }
}
