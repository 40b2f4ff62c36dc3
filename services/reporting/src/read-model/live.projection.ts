import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { UnavailableError } from '@tashghil/event-store';
import { OnEvent, type InboxContext } from '@tashghil/messaging';
import { activeSchema, REPORTING_CONSUMER } from './generations';
import { LAYOUT } from './layout';
import { project, PROJECTED_TYPES } from './projection';

/**
 * The live projection: every projected event type, as the reporting consumer receives it, goes into
 * the active generation in the consumer's own transaction (with its inbox row and offset). It writes
 * only into a generation of its own layout: while none is active (the first build, or a rolling
 * deploy whose new layout is still being built) the message waits and is tried again, and the build
 * takes in from the store whatever the active generation has not seen.
 */
@Controller()
export class LiveProjection {
  @OnEvent(REPORTING_CONSUMER, PROJECTED_TYPES)
  async apply(@Payload() data: unknown, @Ctx() ctx: InboxContext): Promise<void> {
    const active = await activeSchema(ctx.tx, { forShare: true });
    if (!active) throw new UnavailableError('READ_MODEL_BUILDING', 'no active read model yet');
    if (active.layout !== LAYOUT)
      throw new UnavailableError(
        'READ_MODEL_LAYOUT',
        `the active read model ${active.schema} is of layout ${active.layout}, not this process's ${LAYOUT}`,
      );
    await project(ctx.tx, active.schema, ctx.envelope, data);
  }
}
