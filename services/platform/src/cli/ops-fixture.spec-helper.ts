import { Controller, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ensureConventionsQueryModels, programmeTargetsDecider, programmeTargetsStreamId } from '@tashghil/conventions';
import { handleCommand, type EventStore, type Queryable } from '@tashghil/event-store';
import { OnEvent, type InboxContext } from '@tashghil/messaging';
import type { ServiceSpec } from '@tashghil/service-kit';

export const CONSUMER = 'ops-weighbridge';

/**
 * A consumer whose table refuses MA-10 (a rule written too strictly): its handler fails with a
 * check violation, which is no transient error, so after its attempts the message is dead-lettered.
 * The fix is to drop the rule, and then the dead letter can be replayed.
 */
@Controller()
class TargetsConsumer {
  @OnEvent(CONSUMER, 'ProgrammeTargetsSet')
  async onTargetsSet(@Payload() data: { region: string }, @Ctx() ctx: InboxContext): Promise<void> {
    await ctx.tx.query(`INSERT INTO public.ops_targets (event_id, region) VALUES ($1, $2)`, [
      ctx.envelope.eventId,
      data.region,
    ]);
  }
}

@Module({ controllers: [TargetsConsumer] })
class TargetsModule {}

export const targetsService: ServiceSpec = {
  name: 'ops-weighbridge',
  modules: [TargetsModule],
  consumers: [CONSUMER],
  relays: ['conventions'],
  migrations: [
    {
      id: 'ops-test/001-targets',
      sql: `CREATE TABLE IF NOT EXISTS public.ops_targets (event_id uuid NOT NULL, region text NOT NULL CONSTRAINT region_too_strict CHECK (region <> 'MA-10'))`,
    },
  ],
  defaultPort: 0,
};

export const fix = (db: Queryable) =>
  db.query(`ALTER TABLE public.ops_targets DROP CONSTRAINT IF EXISTS region_too_strict`);

export const applied = async (db: Queryable): Promise<string[]> =>
  (await db.query<{ event_id: string }>(`SELECT event_id::text AS event_id FROM public.ops_targets`)).rows.map(
    (r) => r.event_id,
  );

/** Sets MA-10's Awrach targets: one ProgrammeTargetsSet event, which the relay publishes. */
export const setTargets = async (store: EventStore, year = 2022): Promise<string> => {
  await ensureConventionsQueryModels(store);
  await handleCommand(store, programmeTargetsDecider, programmeTargetsStreamId('MA-10', 'awrach', year), {
    type: 'SetProgrammeTargets',
    data: {
      region: 'MA-10',
      programme: 'awrach',
      year,
      reference: 'Comité régional du 22 avril 2022',
      effectiveDate: `${year}-04-22`,
      components: [{ component: 'temporary_works', targetJobs: 3_800 }],
    },
    metadata: {
      now: `${year}-04-22T09:00:00.000Z`,
      actor: 'test',
      roles: ['admin'],
      correlationId: 'ops',
      commandId: `targets-${year}`,
    },
  });
  const { rows } = await store.db.query<{ event_id: string }>(
    `SELECT event_id::text AS event_id FROM es.events WHERE type = 'ProgrammeTargetsSet' AND stream_id = $1`,
    [programmeTargetsStreamId('MA-10', 'awrach', year)],
  );
  return rows[0]?.event_id ?? '';
};

export const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
