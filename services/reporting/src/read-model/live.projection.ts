import { Controller, Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EVENT_STORE, UnavailableError, type EventStore } from '@tashghil/event-store';
import { OnEvent, type InboxContext } from '@tashghil/messaging';
import { LOGGER } from '@tashghil/service-kit';
import type { Logger } from 'pino';
import { activeSchema, ensureReadModel, REPORTING_CONSUMER } from './generations';
import { project, PROJECTED_TYPES } from './projection';

/**
 * The live projection: every projected event type, as the reporting consumer receives it, goes into
 * the active generation in the consumer's own transaction (with its inbox row and offset). On start
 * it builds the first generation, or a new one when the layout changed.
 */
@Controller()
export class LiveProjection implements OnApplicationBootstrap {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    const built = await ensureReadModel(this.store);
    if (built)
      this.log.info(
        { schema: built.schema, events: built.applied + built.caughtUp, ms: Date.now() - started },
        'read model built from the store',
      );
  }

  @OnEvent(REPORTING_CONSUMER, PROJECTED_TYPES)
  async apply(@Payload() data: unknown, @Ctx() ctx: InboxContext): Promise<void> {
    const active = await activeSchema(ctx.tx, { forShare: true });
    if (!active) throw new UnavailableError('READ_MODEL_BUILDING', 'no active read model yet');
    await project(ctx.tx, active.schema, ctx.envelope, data);
  }
}
