import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { SeekerHiredV1 } from '@tashghil/contracts';
import { EVENT_STORE, EventStore } from '@tashghil/event-store';
import { OnEvent, recordFromMessage, type InboxContext } from '@tashghil/messaging';
import { SUBSIDIES_CONSUMER } from '../envelope/envelope.consumer';

export const HIRE_CATEGORY = 'subsidies.hire';
export const hireStreamId = (placementId: string): string => `${HIRE_CATEGORY}-${placementId}`;

/** A hire as the matching service published it: what an employer's application starts from. */
export interface HireNoticed {
  readonly type: 'HireNoticed';
  readonly data: SeekerHiredV1 & { readonly sourceEventId: string };
}

/**
 * Notes every hire the matching service publishes, so an employer can apply for a grant by naming
 * the placement instead of typing the contract and the person's categories again.
 */
@Controller()
export class HireConsumer {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @OnEvent(SUBSIDIES_CONSUMER, 'SeekerHired')
  async onHired(@Payload() data: SeekerHiredV1, @Ctx() ctx: InboxContext): Promise<void> {
    await recordFromMessage(this.store, ctx, SUBSIDIES_CONSUMER, hireStreamId(data.placementId), 'HireNoticed', {
      ...data,
      sourceEventId: ctx.envelope.eventId,
    });
  }
}

export const findHire = async (store: EventStore, placementId: string): Promise<HireNoticed['data'] | undefined> => {
  const [first] = await store.readStream(hireStreamId(placementId));
  return first?.type === 'HireNoticed' ? (first.data as unknown as HireNoticed['data']) : undefined;
};
