import { conventionDecider, conventionStreamId, type ConventionCommand } from '@tashghil/conventions';
import { handleCommand } from '@tashghil/event-store';
import type { Runtime } from '@tashghil/service-kit';
import type { Logger } from 'pino';
import { seedGovernance } from './demo-governance';
import { seedMatching } from './demo-matching';
import { seedSubsidies } from './demo-subsidies';
import { seedMetadata } from './demo-metadata';

/** Millions of dirhams given in hundredths (186.88 MDH = mdh(18_688)), to centimes, in integers only. */
const mdh = (hundredths: number): number => hundredths * 1_000_000;

type Step = { readonly [C in ConventionCommand['type']]: { readonly type: C; readonly data: Extract<ConventionCommand, { type: C }>['data'] } }[ConventionCommand['type']];

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
        conventionId: 'souss-massa-2020-2022', region: 'MA-09',
        title: "Convention régionale pour l'emploi Souss-Massa 2020–2022",
        period: { start: '2020-01-01', end: '2022-12-31' },
        legalBasis: ['Programme de développement régional (PDR) Souss-Massa', "Plan national de promotion de l'emploi (programmes actifs d'emploi)"],
      },
    },
    { type: 'AddParty', data: { partyId: 'ministre-travail', name: "Ministre du Travail et de l'Insertion professionnelle", role: 'minister_employment' } },
    { type: 'AddParty', data: { partyId: 'wali-souss-massa', name: "Wali de la région Souss-Massa, gouverneur de la préfecture d'Agadir-Ida Ou Tanane", role: 'wali' } },
    { type: 'AddParty', data: { partyId: 'president-conseil-regional', name: 'Président du Conseil régional Souss-Massa', role: 'region_president' } },
    { type: 'AddMeasure', data: { measureId: 'contrats-formation', programmeLine: 'idmaj_training_contracts', label: 'Contrats de formation (cible illustrative, non publiée)', target: { total: 6000 }, budget: { stateCentimes: mdh(18_688), regionCentimes: 0 } } },
    { type: 'AddMeasure', data: { measureId: 'tahfiz', programmeLine: 'tahfiz', label: 'Tahfiz (cible illustrative, non publiée)', target: { total: 2500 }, budget: { stateCentimes: mdh(5_736), regionCentimes: 0 } } },
    { type: 'AddMeasure', data: { measureId: 'taehil', programmeLine: 'taehil', label: 'Taehil (cible illustrative, non publiée)', target: { total: 3000 }, budget: { stateCentimes: mdh(2_900), regionCentimes: 0 } } },
    { type: 'AddMeasure', data: { measureId: 'auto-emploi', programmeLine: 'self_employment', label: "Appui à l'auto-emploi (cible illustrative, non publiée)", target: { total: 400 }, budget: { stateCentimes: mdh(712), regionCentimes: 0 } } },
    { type: 'AddMeasure', data: { measureId: 'contribution-region', programmeLine: 'other', label: 'Contribution de la Région, répartition non publiée (cible illustrative)', target: { total: 500 }, budget: { stateCentimes: 0, regionCentimes: mdh(1_500) } } },
    { type: 'SignConvention', data: { role: 'minister_employment', signatory: "Ministre du Travail et de l'Insertion professionnelle", date: '2021-03-15', place: 'Wilaya de la région Souss-Massa, Agadir' } },
    { type: 'SignConvention', data: { role: 'wali', signatory: 'Wali de la région Souss-Massa', date: '2021-03-15', place: 'Wilaya de la région Souss-Massa, Agadir' } },
    { type: 'SignConvention', data: { role: 'region_president', signatory: 'Président du Conseil régional', date: '2021-03-15', place: 'Wilaya de la région Souss-Massa, Agadir' } },
  ],
};

/** Idempotent: each step's command id is fixed, and a convention already present is left alone. */
export const seedDemoData = async (runtime: Runtime, log: Logger): Promise<void> => {
  const streamId = conventionStreamId(SOUSS_MASSA.id);
  let added = 0;
  if ((await runtime.store.streamVersion(streamId)) < 0) {
    for (const [i, step] of SOUSS_MASSA.steps.entries()) {
      const command = { ...step, metadata: seedMetadata(`${SOUSS_MASSA.id}:${i}`, SOUSS_MASSA.at) } as ConventionCommand;
      await handleCommand(runtime.store, conventionDecider, streamId, command);
    }
    added += 1;
  }
  await seedGovernance(runtime.store);
  const matching = await seedMatching(runtime.store);
  const subsidies = await seedSubsidies(runtime.store);
  log.info({ conventions: added, ...matching, ...subsidies }, 'demo data ready');
};
