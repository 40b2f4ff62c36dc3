import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ProgrammeTargetsSetV1 } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, handleWorkflow } from '@tashghil/event-store';
import { metadataFromMessage, OnEvent, type InboxContext } from '@tashghil/messaging';
import { limitsFromTargets } from './envelope-limits.workflow';

export const SUBSIDIES_CONSUMER = 'subsidies';

/** Keeps each region's envelope from the conventions service's targets, one revision at a time. */
@Controller()
export class EnvelopeConsumer {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @OnEvent(SUBSIDIES_CONSUMER, 'ProgrammeTargetsSet')
  async onTargets(@Payload() targets: ProgrammeTargetsSetV1, @Ctx() ctx: InboxContext): Promise<void> {
    const metadata = metadataFromMessage(ctx, SUBSIDIES_CONSUMER);
    await handleWorkflow(this.store, limitsFromTargets(targets, ctx.envelope.eventId, metadata), { tx: ctx.tx });
  }
}
