import { conventionDecider, conventionStreamId, type DraftConvention } from '@tashghil/conventions';
import { handleCommand } from '@tashghil/event-store';
import type { Runtime } from '@tashghil/service-kit';
import type { Logger } from 'pino';

/** The two founding programmes of DOMAIN.md, as the secretariats would have entered them. */
const DEMO_DRAFTS: ReadonlyArray<DraftConvention['data'] & { readonly draftedOn: string }> = [
  {
    conventionId: 'souss-massa-2020-2022',
    region: 'MA-09',
    title: "Convention régionale pour l'emploi Souss-Massa 2020–2022",
    period: { start: '2020-01-01', end: '2022-12-31' },
    draftedOn: '2021-02-01T09:00:00.000Z',
  },
  {
    conventionId: 'awrach-guelmim-oued-noun-2022',
    region: 'MA-10',
    title: 'Programme Awrach – Guelmim-Oued Noun 2022',
    period: { start: '2022-01-01', end: '2022-12-31' },
    draftedOn: '2022-04-22T09:00:00.000Z',
  },
];

/** Idempotent: a convention already in the store is left as it is. */
export const seedDemoData = async (runtime: Runtime, log: Logger): Promise<void> => {
  let added = 0;
  for (const { draftedOn, ...data } of DEMO_DRAFTS) {
    const streamId = conventionStreamId(data.conventionId);
    if ((await runtime.store.streamVersion(streamId)) >= 0) continue;
    await handleCommand(runtime.store, conventionDecider, streamId, {
      type: 'DraftConvention',
      data,
      metadata: {
        now: draftedOn, actor: 'demo-seed', roles: ['admin'], correlationId: `demo-${data.conventionId}`,
        commandId: `demo-seed:${data.conventionId}`,
      },
    });
    added += 1;
  }
  log.info({ added }, 'demo data ready');
};
