import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ConventionDraftedV1 } from '@tashghil/contracts';
import { OnEvent, type InboxContext } from '@tashghil/messaging';

export const REPORTING_CONSUMER = 'reporting';

/** Keeps reporting.conventions_by_region: one row per convention, in the consumer's transaction. */
@Controller()
export class ConventionsByRegionProjection {
  @OnEvent(REPORTING_CONSUMER, 'ConventionDrafted')
  async onDrafted(@Payload() data: ConventionDraftedV1, @Ctx() ctx: InboxContext): Promise<void> {
    await ctx.tx.query(
      `INSERT INTO reporting.conventions_by_region
         (convention_id, region, title, period_start, period_end, status, drafted_at, drafted_by, last_event_id)
       VALUES ($1, $2, $3, $4::date, $5::date, 'drafted', $6::timestamptz, $7, $8)
       ON CONFLICT (convention_id) DO NOTHING`,
      [data.conventionId, data.region, data.title, data.period.start, data.period.end, data.draftedAt, data.draftedBy, ctx.envelope.eventId],
    );
  }
}
