import type { SeekerHiredV1 } from '@tashghil/contracts';

/** A hire as the matching service publishes it: Guelmim, a 24-month contract from 1 June 2022. */
export const seekerHired: SeekerHiredV1 = {
  placementId: 'pl-00000000000000a1',
  on: '2022-05-30',
  seekerId: 'sk-0001',
  offerId: 'of-0001',
  employer: { kind: 'company', id: 'emp-guelmim-1', sector: 'agro' },
  occupation: '7512',
  origin: { region: 'MA-10', province: 'Guelmim' },
  destination: { region: 'MA-10', province: 'Guelmim' },
  flow: 'own_region',
  contractType: 'fixed_term',
  startDate: '2022-06-01',
  contractMonths: 24,
  monthlyWageCentimes: 300_000,
  categories: {
    gender: 'female',
    ageBand: '25_34',
    disability: false,
    hasDiploma: true,
    area: 'urban',
    monthsRegistered: 30,
    longTermUnemployed: true,
    pandemicJobLoss: false,
  },
};
