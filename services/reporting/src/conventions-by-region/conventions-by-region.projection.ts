import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ConventionAmendedV1, ConventionClosedV1, ConventionDraftedV1, ConventionSignedV1 } from '@tashghil/contracts';
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

  @OnEvent(REPORTING_CONSUMER, 'ConventionSigned')
  async onSigned(@Payload() data: ConventionSignedV1, @Ctx() ctx: InboxContext): Promise<void> {
    await this.update(ctx, data.conventionId, `status = 'signed'`);
  }

  @OnEvent(REPORTING_CONSUMER, 'ConventionAmended')
  async onAmended(@Payload() data: ConventionAmendedV1, @Ctx() ctx: InboxContext): Promise<void> {
    await this.update(ctx, data.conventionId, `period_start = $3::date, period_end = $4::date`, [data.period.start, data.period.end]);
  }

  @OnEvent(REPORTING_CONSUMER, 'ConventionClosed')
  async onClosed(@Payload() data: ConventionClosedV1, @Ctx() ctx: InboxContext): Promise<void> {
    await this.update(ctx, data.conventionId, `status = $3`, [data.early ? 'terminated' : 'closed']);
  }

  /** Events of one stream arrive in order (same key, same partition), so the row exists by now. */
  private async update(ctx: InboxContext, conventionId: string, set: string, params: readonly unknown[] = []): Promise<void> {
    await ctx.tx.query(
      `UPDATE reporting.conventions_by_region SET ${set}, last_event_id = $2 WHERE convention_id = $1`,
      [conventionId, ctx.envelope.eventId, ...params],
    );
  }
}
