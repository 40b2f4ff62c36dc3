import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { SeekerHiredV1 } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, handleWorkflow } from '@tashghil/event-store';
import { metadataFromMessage, OnEvent, type InboxContext } from '@tashghil/messaging';
import { SUBSIDIES_CONSUMER } from '../envelope/envelope.consumer';
import { noticeHire } from './hire-noticed.workflow';

/** Notes every hire the matching service publishes, in the inbox's transaction. */
@Controller()
export class HireConsumer {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @OnEvent(SUBSIDIES_CONSUMER, 'SeekerHired')
  async onHired(@Payload() data: SeekerHiredV1, @Ctx() ctx: InboxContext): Promise<void> {
    const metadata = metadataFromMessage(ctx, SUBSIDIES_CONSUMER);
    await handleWorkflow(this.store, noticeHire(data, ctx.envelope.eventId, metadata), { tx: ctx.tx });
  }
}
