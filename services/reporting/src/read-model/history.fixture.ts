/**
 * A small programme history across both founding regions, each event valid against its contract:
 * what the projection tests append to a real store and feed to the live projection.
 */
export interface HistoryEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** When the store records it: "as of" reports cut on this. */
  readonly at: string;
}

const eligibility = (on: string) => ({
  scheme: 'awrach-1',
  on,
  parametersKnownAt: `${on}T00:00:00.000Z`,
  outcome: 'eligible',
  rules: [],
});
const categories = (i: number) => ({
  gender: i % 3 === 0 ? 'female' : 'male',
  ageBand: (['under_25', '25_34', '35_54', '55_plus'] as const)[i % 4],
  disability: i % 5 === 0,
  hasDiploma: i % 2 === 0,
  area: i % 2 === 0 ? 'urban' : 'rural',
  longTermUnemployed: i % 3 === 1,
});

const hire = (i: number, flow: 'own_region' | 'other_region' | 'abroad', offerId: string, on: string) => ({
  placementId: `pl-${i}`,
  on,
  seekerId: `sk-${i}`,
  offerId,
  employer: { kind: 'company', id: 'emp-auto', sector: i % 2 === 0 ? 'automobile' : 'agro' },
  occupation: '8211',
  origin: {
    region: flow === 'own_region' ? 'MA-09' : 'MA-07',
    province: flow === 'own_region' ? 'Agadir-Ida Ou Tanane' : 'Safi',
  },
  destination:
    flow === 'abroad'
      ? { region: 'MA-09', province: 'Agadir-Ida Ou Tanane', abroadCountry: 'ES' }
      : { region: 'MA-09', province: 'Agadir-Ida Ou Tanane' },
  flow,
  contractType: i % 2 === 0 ? 'idmaj' : 'permanent',
  startDate: on,
  contractMonths: 24,
  monthlyWageCentimes: 320_000,
  categories: { ...categories(i), monthsRegistered: 30, pandemicJobLoss: false },
});

/** An approved lasting-integration grant, applied for and decided on the days given. */
const grant = (
  grantId: string,
  hired: { source: 'matching' | 'manual'; placementId?: string; seekerId: string; startDate: string },
  applied: string,
  decided: string,
  beneficiary?: { province: string; categories: ReturnType<typeof categories> },
): HistoryEvent[] => [
  {
    streamId: `subsidies.grant-${grantId}`,
    type: 'GrantApplied',
    at: `${applied}T09:00:00.000Z`,
    data: {
      grantId,
      region: 'MA-10',
      scheme: 'awrach-1',
      programme: 'awrach',
      employer: { kind: 'company', id: 'e2', name: 'Entreprise' },
      hire: { ...hired, contractMonths: 24, monthlyWageCentimes: 300_000 },
      person: {
        monthsRegistered: 30,
        pandemicJobLoss: false,
        hardToPlace: false,
        disability: false,
        priorCnssMonths: 0,
      },
      appliedOn: applied,
      eligibility: eligibility(applied),
      ...(beneficiary ? { beneficiary } : {}),
    },
  },
  {
    streamId: `subsidies.grant-${grantId}`,
    type: 'GrantDecided',
    at: `${decided}T09:00:00.000Z`,
    data: {
      grantId,
      region: 'MA-10',
      outcome: 'approved',
      decisionNumber: `CT-${grantId}`,
      date: decided,
      channel: 'employer',
      schedule: [],
      totalCentimes: 2_700_000,
      envelope: { programme: 'awrach', year: 2022, component: 'lasting_integration', jobs: 1, centimes: 2_700_000 },
    },
  },
];

export const HISTORY: readonly HistoryEvent[] = [
  {
    streamId: 'conventions.convention-sm',
    type: 'ConventionDrafted',
    at: '2021-03-01T09:00:00.000Z',
    data: {
      conventionId: 'sm',
      region: 'MA-09',
      title: 'Convention Souss-Massa',
      period: { start: '2020-01-01', end: '2022-12-31' },
      draftedAt: '2021-03-01T09:00:00.000Z',
      draftedBy: 'o',
    },
  },
  {
    streamId: 'conventions.convention-sm',
    type: 'ConventionSigned',
    at: '2021-03-15T09:00:00.000Z',
    data: {
      conventionId: 'sm',
      region: 'MA-09',
      title: 'Convention Souss-Massa',
      period: { start: '2020-01-01', end: '2022-12-31' },
      legalBasis: [],
      signedOn: '2021-03-15',
      place: 'Agadir',
      signatures: [],
      measures: [
        {
          measureId: 'idmaj',
          programmeLine: 'idmaj_training_contracts',
          label: 'Contrats de formation',
          target: { total: 600 },
          budget: { stateCentimes: 1_868_800_000, regionCentimes: 0 },
        },
        {
          measureId: 'region',
          programmeLine: 'other',
          label: 'Contribution de la Région',
          budget: { stateCentimes: 0, regionCentimes: 150_000_000 },
        },
      ],
    },
  },
  {
    streamId: 'conventions.targets-MA-10-awrach-2022',
    type: 'ProgrammeTargetsSet',
    at: '2022-04-22T09:00:00.000Z',
    data: {
      region: 'MA-10',
      programme: 'awrach',
      year: 2022,
      revision: 1,
      reference: 'PV 1',
      effectiveDate: '2022-04-22',
      setBy: 'o',
      setAt: '2022-04-22T09:00:00.000Z',
      components: [
        { component: 'temporary_works', targetJobs: 3_000 },
        { component: 'lasting_integration', targetJobs: 900, budgetCentimes: 2_430_000_000 },
      ],
    },
  },
  {
    streamId: 'conventions.targets-MA-10-awrach-2022',
    type: 'ProgrammeTargetsSet',
    at: '2022-05-02T09:00:00.000Z',
    data: {
      region: 'MA-10',
      programme: 'awrach',
      year: 2022,
      revision: 2,
      reference: 'PV 2',
      effectiveDate: '2022-05-02',
      setBy: 'o',
      setAt: '2022-05-02T09:00:00.000Z',
      components: [
        { component: 'temporary_works', targetJobs: 3_800 },
        { component: 'lasting_integration', targetJobs: 1_000, budgetCentimes: 2_700_000_000 },
      ],
    },
  },
  {
    streamId: 'conventions.committee-gon',
    type: 'CommitteeDecisionRecorded',
    at: '2022-04-22T12:00:00.000Z',
    data: {
      committeeId: 'gon',
      region: 'MA-10',
      programme: 'awrach',
      kind: 'regional',
      decisionNumber: 'CR-1',
      date: '2022-04-22',
      subject: 'Lancement',
      outcome: 'approved',
      references: [],
      recordedBy: 'o',
      recordedAt: '2022-04-22T12:00:00.000Z',
    },
  },
  {
    streamId: 'matching.offer-auto',
    type: 'OfferPublished',
    at: '2022-05-01T09:00:00.000Z',
    data: {
      offerId: 'auto',
      on: '2022-05-01',
      by: 'o',
      region: 'MA-09',
      occupation: '8211',
      positions: 50,
      mass: true,
      opensToOtherRegionsOn: '2022-05-01',
    },
  },
  {
    streamId: 'matching.offer-auto',
    type: 'OfferOpenedToOtherRegions',
    at: '2022-05-01T09:00:01.000Z',
    data: { offerId: 'auto', on: '2022-05-01', by: 'o', region: 'MA-09', reason: 'mass_offer' },
  },
  {
    streamId: 'matching.offer-farm',
    type: 'OfferPublished',
    at: '2022-05-03T09:00:00.000Z',
    data: {
      offerId: 'farm',
      on: '2022-05-03',
      by: 'o',
      region: 'MA-09',
      occupation: '9211',
      positions: 5,
      mass: false,
      opensToOtherRegionsOn: '2022-05-18',
    },
  },
  ...[1, 2, 3, 4].flatMap((i): HistoryEvent[] => {
    const offerId = i === 4 ? 'farm' : 'auto';
    const flow = i === 2 ? 'other_region' : i === 3 ? 'abroad' : 'own_region';
    return [
      {
        streamId: `matching.placement-pl-${i}`,
        type: 'PlacementProposed',
        at: `2022-05-1${i}T09:00:00.000Z`,
        data: {
          placementId: `pl-${i}`,
          on: `2022-05-1${i}`,
          seekerId: `sk-${i}`,
          offerId,
          score: 70,
          parts: { occupation: 40, skills: 10, education: 10, distance: 5, priority: 5 },
          reasons: ['same occupation'],
        },
      },
      {
        streamId: `matching.placement-pl-${i}`,
        type: 'SeekerHired',
        at: `2022-06-0${i}T09:00:00.000Z`,
        data: hire(i, flow, offerId, `2022-06-0${i}`),
      },
    ];
  }),
  {
    streamId: 'subsidies.worksProject-w1',
    type: 'WorksProjectProposed',
    at: '2022-05-05T09:00:00.000Z',
    data: {
      projectId: 'w1',
      region: 'MA-10',
      province: 'Tan-Tan',
      scheme: 'awrach-works',
      promoter: { kind: 'association', id: 'a1', name: 'Association' },
      kind: 'small',
      title: 'Pistes',
      jobs: 2,
      months: 4,
      start: '2022-06-01',
      end: '2022-09-30',
      monthlyWageCentimes: 282_871,
      budgetCentimes: 3_000_000,
      proposedOn: '2022-05-05',
      eligibility: eligibility('2022-05-05'),
    },
  },
  {
    streamId: 'subsidies.worksProject-w1',
    type: 'WorksProjectDecided',
    at: '2022-05-10T09:00:00.000Z',
    data: {
      projectId: 'w1',
      region: 'MA-10',
      outcome: 'approved',
      decisionNumber: 'CT-1',
      date: '2022-05-10',
      envelope: { programme: 'awrach', year: 2022, component: 'temporary_works', jobs: 2, centimes: 3_000_000 },
    },
  },
  {
    streamId: 'subsidies.worksProject-w1',
    type: 'WorksSiteLaunched',
    at: '2022-06-01T09:00:00.000Z',
    data: { projectId: 'w1', region: 'MA-10', on: '2022-06-01' },
  },
  // b-1 is seeker sk-11, whom grant g2 hires later: one person in two components.
  ...[1, 2].map(
    (i): HistoryEvent => ({
      streamId: 'subsidies.worksProject-w1',
      type: 'WorksBeneficiaryEnrolled',
      at: '2022-06-01T10:00:00.000Z',
      data: {
        projectId: 'w1',
        region: 'MA-10',
        province: 'Tan-Tan',
        beneficiaryId: `b-${i}`,
        ...(i === 1 ? { source: 'matching', seekerId: 'sk-11' } : { source: 'direct' }),
        on: '2022-06-01',
        monthlyWageCentimes: 282_871,
        socialCover: true,
        categories: categories(i + 10),
        eligibility: eligibility('2022-06-01'),
      },
    }),
  ),
  {
    streamId: 'subsidies.worksProject-w1',
    type: 'WorksPayrollRecorded',
    at: '2022-07-02T09:00:00.000Z',
    data: {
      projectId: 'w1',
      region: 'MA-10',
      month: '2022-06',
      lines: [],
      totals: { grossCentimes: 565_742, employeeCentimes: 38_132, employerCentimes: 119_316, netCentimes: 527_610 },
    },
  },
  {
    streamId: 'subsidies.grant-g1',
    type: 'GrantApplied',
    at: '2022-05-20T09:00:00.000Z',
    data: {
      grantId: 'g1',
      region: 'MA-10',
      scheme: 'awrach-1',
      programme: 'awrach',
      employer: { kind: 'company', id: 'e1', name: 'Entreprise' },
      hire: {
        source: 'manual',
        seekerId: 'sk-g1',
        startDate: '2022-05-16',
        contractMonths: 24,
        monthlyWageCentimes: 300_000,
      },
      person: {
        monthsRegistered: 30,
        pandemicJobLoss: false,
        hardToPlace: false,
        disability: false,
        priorCnssMonths: 0,
      },
      appliedOn: '2022-05-20',
      eligibility: eligibility('2022-05-20'),
      // The hire entered on the file, with categories no other source has: 55 and over, disabled, long-term.
      beneficiary: {
        province: 'Guelmim',
        categories: {
          gender: 'female',
          ageBand: '55_plus',
          disability: true,
          hasDiploma: false,
          area: 'rural',
          longTermUnemployed: true,
        },
      },
    },
  },
  {
    streamId: 'subsidies.grant-g1',
    type: 'GrantDecided',
    at: '2022-06-15T09:00:00.000Z',
    data: {
      grantId: 'g1',
      region: 'MA-10',
      outcome: 'approved',
      decisionNumber: 'CT-2',
      date: '2022-06-15',
      channel: 'employer',
      schedule: [{ month: '2022-06', amountCentimes: 150_000 }],
      totalCentimes: 2_700_000,
      envelope: { programme: 'awrach', year: 2022, component: 'lasting_integration', jobs: 1, centimes: 2_700_000 },
    },
  },
  {
    streamId: 'subsidies.grant-g1',
    type: 'GrantPaymentRecorded',
    at: '2022-07-20T09:00:00.000Z',
    data: {
      grantId: 'g1',
      region: 'MA-10',
      month: '2022-06',
      amountCentimes: 150_000,
      channel: 'employer',
      paidOn: '2022-07-20',
    },
  },
  {
    streamId: 'subsidies.grant-g1',
    type: 'GrantContractEnded',
    at: '2022-07-25T09:00:00.000Z',
    data: {
      grantId: 'g1',
      region: 'MA-10',
      lastDay: '2022-07-15',
      reason: 'démission',
      entitledCentimes: 100_000,
      cancelledCentimes: 2_550_000,
      schedule: [{ month: '2022-06', amountCentimes: 100_000 }],
    },
  },
  {
    streamId: 'subsidies.grant-g1',
    type: 'GrantClawbackClaimed',
    at: '2022-08-01T09:00:00.000Z',
    data: {
      grantId: 'g1',
      region: 'MA-10',
      amountCentimes: 50_000,
      on: '2022-08-01',
      reason: 'fin anticipée',
      months: [{ month: '2022-06', paidCentimes: 150_000, dueCentimes: 100_000 }],
    },
  },
  // An ordinary placement in Guelmim-Oued Noun that counts only because an older grant file (no
  // beneficiary on it) names it: the person's categories come from the hire.
  {
    streamId: 'matching.offer-gon',
    type: 'OfferPublished',
    at: '2022-08-02T09:00:00.000Z',
    data: {
      offerId: 'gon',
      on: '2022-08-02',
      by: 'o',
      region: 'MA-10',
      occupation: '9313',
      positions: 2,
      mass: false,
      opensToOtherRegionsOn: '2022-08-17',
    },
  },
  {
    streamId: 'matching.placement-pl-5',
    type: 'SeekerHired',
    at: '2022-08-10T09:00:00.000Z',
    data: {
      ...hire(5, 'own_region', 'gon', '2022-08-10'),
      origin: { region: 'MA-10', province: 'Guelmim' },
      destination: { region: 'MA-10', province: 'Guelmim' },
    },
  },
  ...grant(
    'g3',
    { source: 'matching', placementId: 'pl-5', seekerId: 'sk-5', startDate: '2022-08-10' },
    '2022-08-12',
    '2022-08-20',
  ),
  ...grant('g2', { source: 'manual', seekerId: 'sk-11', startDate: '2022-08-22' }, '2022-08-25', '2022-08-30', {
    province: 'Tan-Tan',
    categories: categories(11),
  }),
];
