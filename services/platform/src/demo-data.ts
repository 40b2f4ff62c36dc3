import { conventionDecider, conventionStreamId, type ConventionCommand } from '@tashghil/conventions';
import { eventIdFor, type Issued } from '@tashghil/event-store';
import type { Runtime } from '@tashghil/service-kit';
import pino, { type Logger } from 'pino';
import { handleAt, instant, storesOnCalendar } from './demo-calendar';
import { seedGovernance } from './demo-governance';
import { seedHires } from './demo-hires';
import { seedMatching } from './demo-matching';
import { seedSubsidies } from './demo-subsidies';
import { seedMetadata } from './demo-metadata';

/** Millions of dirhams given in hundredths (186.88 MDH = mdh(18_688)), to centimes, in integers only. */
const mdh = (hundredths: number): number => hundredths * 1_000_000;

type Step = Issued<ConventionCommand>;

/**
 * The Souss-Massa regional employment convention 2020–2022 (DOMAIN.md), entered as a secretariat
 * would: draft, parties, the budget lines, then the three signatures of 15 March 2021 in Agadir.
 * The sources give budgets per line but no beneficiary targets; the targets below are illustrative
 * and each measure's label says so.
 */
const SOUSS_MASSA: { readonly id: string; readonly at: string; readonly steps: readonly Step[] } = {
  id: 'souss-massa-2020-2022',
  at: '2021-03-01T09:00:00.000Z',
  steps: [
    {
      type: 'DraftConvention',
      data: {
        conventionId: 'souss-massa-2020-2022',
        region: 'MA-09',
        title: "Convention régionale pour l'emploi Souss-Massa 2020–2022",
        period: { start: '2020-01-01', end: '2022-12-31' },
        legalBasis: [
          'Programme de développement régional (PDR) Souss-Massa',
          "Plan national de promotion de l'emploi (programmes actifs d'emploi)",
        ],
      },
    },
    {
      type: 'AddParty',
      data: {
        partyId: 'ministre-travail',
        name: "Ministre du Travail et de l'Insertion professionnelle",
        role: 'minister_employment',
      },
    },
    {
      type: 'AddParty',
      data: {
        partyId: 'wali-souss-massa',
        name: "Wali de la région Souss-Massa, gouverneur de la préfecture d'Agadir-Ida Ou Tanane",
        role: 'wali',
      },
    },
    {
      type: 'AddParty',
      data: {
        partyId: 'president-conseil-regional',
        name: 'Président du Conseil régional Souss-Massa',
        role: 'region_president',
      },
    },
    {
      type: 'AddMeasure',
      data: {
        measureId: 'contrats-formation',
        programmeLine: 'idmaj_training_contracts',
        label: 'Contrats de formation (cible illustrative, non publiée)',
        target: { total: 6000 },
        budget: { stateCentimes: mdh(18_688), regionCentimes: 0 },
      },
    },
    {
      type: 'AddMeasure',
      data: {
        measureId: 'tahfiz',
        programmeLine: 'tahfiz',
        label: 'Tahfiz (cible illustrative, non publiée)',
        target: { total: 2500 },
        budget: { stateCentimes: mdh(5_736), regionCentimes: 0 },
      },
    },
    {
      type: 'AddMeasure',
      data: {
        measureId: 'taehil',
        programmeLine: 'taehil',
        label: 'Taehil (cible illustrative, non publiée)',
        target: { total: 3000 },
        budget: { stateCentimes: mdh(2_900), regionCentimes: 0 },
      },
    },
    {
      type: 'AddMeasure',
      data: {
        measureId: 'auto-emploi',
        programmeLine: 'self_employment',
        label: "Appui à l'auto-emploi (cible illustrative, non publiée)",
        target: { total: 400 },
        budget: { stateCentimes: mdh(712), regionCentimes: 0 },
      },
    },
    {
      type: 'AddMeasure',
      data: {
        measureId: 'contribution-region',
        programmeLine: 'other',
        label: 'Contribution de la Région, répartition non publiée (cible illustrative)',
        target: { total: 500 },
        budget: { stateCentimes: 0, regionCentimes: mdh(1_500) },
      },
    },
    {
      type: 'SignConvention',
      data: {
        role: 'minister_employment',
        signatory: "Ministre du Travail et de l'Insertion professionnelle",
        date: '2021-03-15',
        place: 'Wilaya de la région Souss-Massa, Agadir',
      },
    },
    {
      type: 'SignConvention',
      data: {
        role: 'wali',
        signatory: 'Wali de la région Souss-Massa',
        date: '2021-03-15',
        place: 'Wilaya de la région Souss-Massa, Agadir',
      },
    },
    {
      type: 'SignConvention',
      data: {
        role: 'region_president',
        signatory: 'Président du Conseil régional',
        date: '2021-03-15',
        place: 'Wilaya de la région Souss-Massa, Agadir',
      },
    },
  ],
};

/**
 * Marks a demo seeded to its last step: only then does a start skip the seeding. A start stopped
 * part-way leaves no marker, and the next one runs every step again, which the store answers as
 * already applied up to where the first stopped (every command has a fixed id).
 */
const COMPLETE = { streamId: 'platform.demo-2022', commandId: 'demo-seed:complete' } as const;

/**
 * Every stage is logged as it starts, so whoever stops a first start can tell where it was. The
 * logger's stdout stream writes a line once the one before has landed, which the seeding's work
 * can hold back to its end: the line is written out at once.
 */
const stage = (log: Logger, name: string): void => {
  log.info({ stage: name }, `demo seeding: ${name}`);
  const stream = (log as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[pino.symbols.streamSym];
  stream?.flushSync?.();
};

/**
 * Every step is recorded at its date in the programmes' calendar, and the modules follow the
 * calendar as far as they can: the convention (2021), the Awrach governance (22 April 2022), seekers
 * and offers (January–April 2022), the national batch run (2 May) and its hires (May–November), then
 * the Awrach grants and works sites (April 2022 – January 2023). The governance comes before the
 * seekers and offers it postdates because its targets must reach the subsidies envelope through the
 * bus before any approval, and behind a thousand matching events they would take seconds more.
 */
export const seedDemoData = async (runtime: Runtime, log: Logger): Promise<void> => {
  const marker = eventIdFor(COMPLETE.commandId, 0);
  if (await runtime.store.eventExists(marker)) {
    log.info('demo data already complete');
    return;
  }
  const at = storesOnCalendar(runtime);
  stage(log, 'convention');
  const streamId = conventionStreamId(SOUSS_MASSA.id);
  const conventionAdded = (await runtime.store.streamVersion(streamId)) < 0 ? 1 : 0;
  for (const [i, step] of SOUSS_MASSA.steps.entries()) {
    const now = step.type === 'SignConvention' ? instant(step.data.date, '11:00') : SOUSS_MASSA.at;
    const command = { ...step, metadata: seedMetadata(`${SOUSS_MASSA.id}:${i}`, now) } as ConventionCommand;
    await handleAt(at, conventionDecider, streamId, command);
  }
  stage(log, 'governance');
  await seedGovernance(at);
  stage(log, 'matching');
  const matching = await seedMatching(at);
  stage(log, 'hires');
  const hires = matching.onCalendar ? await seedHires(at) : undefined;
  if (!matching.onCalendar)
    log.warn(
      'the matching demo in this store predates the 2022 calendar: no batch run or hires are added; delete the data directory to load the current demo',
    );
  stage(log, 'subsidies');
  const { complete, ...subsidies } = await seedSubsidies(at);
  if (!complete) {
    log.warn(
      'the Awrach targets did not reach the subsidies envelope in time: no grant or works site yet; the next start seeds them',
    );
    return;
  }
  await runtime.store.append(COMPLETE.streamId, [
    {
      eventId: marker,
      type: 'DemoDataSeeded',
      data: { demo: SOUSS_MASSA.id, awrach: 'MA-10/2022', matchingRun: hires?.run ?? null },
      metadata: { actor: 'platform', correlationId: 'demo-seed', commandId: COMPLETE.commandId },
    },
  ]);
  log.info(
    { conventions: conventionAdded, seekers: matching.seekers, offers: matching.offers, ...hires, ...subsidies },
    'demo data ready',
  );
};
