import type { IntegrationEventData, IntegrationEventType } from '@tashghil/contracts';
import { storedEvent, type GivenEventOf } from '@tashghil/testing';

/**
 * One event of each projected type, valid against its contract, for the read models' specs: each
 * builder takes the fields a spec cares about and fills the rest. Ids, dates and amounts are
 * illustrative, not programme figures.
 */
type Build<T extends IntegrationEventType> = (fields?: Partial<IntegrationEventData<T>>) => GivenEventOf<T>;

const eligibility = {
  scheme: 'awrach-1',
  on: '2022-06-10',
  parametersKnownAt: '2022-06-10T00:00:00.000Z',
  outcome: 'eligible' as const,
  rules: [],
};
export const categories = {
  gender: 'female' as const,
  ageBand: '25_34' as const,
  disability: false,
  hasDiploma: true,
  area: 'rural' as const,
  longTermUnemployed: true,
};

export const conventionDrafted: Build<'ConventionDrafted'> = (fields) =>
  storedEvent('ConventionDrafted', {
    conventionId: 'sm',
    region: 'MA-09',
    title: 'Convention Souss-Massa (projet)',
    period: { start: '2020-01-01', end: '2022-12-31' },
    draftedAt: '2021-03-01T09:00:00.000Z',
    draftedBy: 'officer-sm',
    ...fields,
  });

export const conventionSigned: Build<'ConventionSigned'> = (fields) =>
  storedEvent('ConventionSigned', {
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
        budget: { stateCentimes: 1_000_000, regionCentimes: 0 },
      },
      { measureId: 'region', programmeLine: 'other' },
    ],
    ...fields,
  });

export const conventionAmended: Build<'ConventionAmended'> = (fields) =>
  storedEvent('ConventionAmended', {
    conventionId: 'sm',
    region: 'MA-09',
    amendment: {
      number: 1,
      effectiveDate: '2022-01-01',
      reason: 'prolongation',
      recordedAt: '2022-01-01T09:00:00.000Z',
      recordedBy: 'officer-sm',
    },
    period: { start: '2020-01-01', end: '2023-12-31' },
    measures: [],
    ...fields,
  });

export const conventionClosed: Build<'ConventionClosed'> = (fields) =>
  storedEvent('ConventionClosed', { conventionId: 'sm', region: 'MA-09', date: '2023-12-31', early: false, ...fields });

export const programmeTargetsSet: Build<'ProgrammeTargetsSet'> = (fields) =>
  storedEvent('ProgrammeTargetsSet', {
    region: 'MA-10',
    programme: 'awrach',
    year: 2022,
    revision: 1,
    components: [{ component: 'temporary_works', targetJobs: 3_000 }],
    reference: 'PV 1',
    effectiveDate: '2022-04-22',
    setBy: 'officer-gon',
    setAt: '2022-04-22T09:00:00.000Z',
    ...fields,
  });

export const committeeDecisionRecorded: Build<'CommitteeDecisionRecorded'> = (fields) =>
  storedEvent('CommitteeDecisionRecorded', {
    committeeId: 'gon',
    region: 'MA-10',
    programme: 'awrach',
    kind: 'regional',
    decisionNumber: 'CR-1',
    date: '2022-04-22',
    subject: 'Lancement',
    outcome: 'approved',
    references: [],
    recordedBy: 'officer-gon',
    recordedAt: '2022-04-22T12:00:00.000Z',
    ...fields,
  });

export const offerPublished: Build<'OfferPublished'> = (fields) =>
  storedEvent('OfferPublished', {
    offerId: 'of-1',
    on: '2022-03-01',
    by: 'officer-sm',
    region: 'MA-09',
    occupation: '8211',
    positions: 40,
    mass: true,
    opensToOtherRegionsOn: '2022-03-16',
    ...fields,
  });

export const offerOpened: Build<'OfferOpenedToOtherRegions'> = (fields) =>
  storedEvent('OfferOpenedToOtherRegions', {
    offerId: 'of-1',
    on: '2022-03-16',
    by: 'officer-sm',
    region: 'MA-09',
    reason: 'mass_offer',
    ...fields,
  });

export const placementProposed: Build<'PlacementProposed'> = (fields) =>
  storedEvent('PlacementProposed', {
    placementId: 'pl-1',
    on: '2022-03-11',
    seekerId: 'sk-1',
    offerId: 'of-1',
    score: 80,
    parts: { occupation: 40, skills: 20, education: 10, distance: 10, priority: 0 },
    reasons: [],
    ...fields,
  });

export const seekerHired: Build<'SeekerHired'> = (fields) =>
  storedEvent('SeekerHired', {
    placementId: 'pl-1',
    on: '2022-04-01',
    seekerId: 'sk-1',
    offerId: 'of-1',
    employer: { kind: 'company', id: 'emp-1', sector: 'automobile' },
    occupation: '8211',
    origin: { region: 'MA-09', province: 'Agadir-Ida Ou Tanane' },
    destination: { region: 'MA-09', province: 'Inezgane-Aït Melloul' },
    flow: 'own_region',
    contractType: 'idmaj',
    startDate: '2022-04-01',
    contractMonths: 24,
    monthlyWageCentimes: 320_000,
    categories: { ...categories, monthsRegistered: 30, pandemicJobLoss: false },
    ...fields,
  });

export const worksProjectProposed: Build<'WorksProjectProposed'> = (fields) =>
  storedEvent('WorksProjectProposed', {
    projectId: 'wp-1',
    region: 'MA-10',
    province: 'Assa-Zag',
    scheme: 'awrach-works',
    promoter: { kind: 'cooperative', id: 'coop-1', name: 'Coopérative' },
    kind: 'small',
    title: 'Oasis',
    jobs: 2,
    months: 4,
    start: '2022-07-01',
    end: '2022-10-31',
    monthlyWageCentimes: 280_000,
    budgetCentimes: 2_800_000,
    proposedOn: '2022-06-10',
    eligibility,
    ...fields,
  });

/** What an approval draws from its region's envelope. */
export const share = (centimes: number, component = 'temporary_works') => ({
  programme: 'awrach',
  year: 2022,
  component,
  jobs: 2,
  centimes,
});

export const worksProjectDecided: Build<'WorksProjectDecided'> = (fields) =>
  storedEvent('WorksProjectDecided', {
    projectId: 'wp-1',
    region: 'MA-10',
    outcome: 'approved',
    decisionNumber: 'CT-1',
    date: '2022-06-20',
    envelope: share(2_800_000),
    ...fields,
  });

export const worksCommitmentRevised: Build<'WorksCommitmentRevised'> = (fields) =>
  storedEvent('WorksCommitmentRevised', {
    projectId: 'wp-1',
    region: 'MA-10',
    revision: 1,
    on: '2022-09-01',
    reason: 'parameters',
    previousCentimes: 2_800_000,
    envelope: share(2_900_000),
    plan: { months: [], wagesCentimes: 0, employerCentimes: 0, totalCentimes: 2_900_000, parameters: [] },
    ...fields,
  });

export const worksSiteLaunched: Build<'WorksSiteLaunched'> = (fields) =>
  storedEvent('WorksSiteLaunched', { projectId: 'wp-1', region: 'MA-10', on: '2022-07-01', ...fields });

export const worksSiteCompleted: Build<'WorksSiteCompleted'> = (fields) =>
  storedEvent('WorksSiteCompleted', {
    projectId: 'wp-1',
    region: 'MA-10',
    on: '2022-10-31',
    certificates: [],
    ...fields,
  });

export const worksBeneficiaryEnrolled: Build<'WorksBeneficiaryEnrolled'> = (fields) =>
  storedEvent('WorksBeneficiaryEnrolled', {
    projectId: 'wp-1',
    region: 'MA-10',
    province: 'Assa-Zag',
    beneficiaryId: 'b-1',
    source: 'direct',
    on: '2022-07-01',
    monthlyWageCentimes: 280_000,
    socialCover: true,
    categories,
    eligibility,
    ...fields,
  });

export const worksPayrollRecorded: Build<'WorksPayrollRecorded'> = (fields) =>
  storedEvent('WorksPayrollRecorded', {
    projectId: 'wp-1',
    region: 'MA-10',
    month: '2022-07',
    lines: [],
    totals: { grossCentimes: 560_000, employeeCentimes: 0, employerCentimes: 120_000, netCentimes: 560_000 },
    ...fields,
  });

export const grantApplied: Build<'GrantApplied'> = (fields) =>
  storedEvent('GrantApplied', {
    grantId: 'g-1',
    region: 'MA-10',
    scheme: 'awrach-1',
    programme: 'awrach',
    employer: { kind: 'company', id: 'emp-2', name: 'Entreprise' },
    hire: {
      source: 'matching',
      placementId: 'pl-5',
      seekerId: 'sk-5',
      startDate: '2022-06-01',
      contractMonths: 24,
      monthlyWageCentimes: 300_000,
    },
    person: { monthsRegistered: 30, pandemicJobLoss: false, hardToPlace: false, disability: false, priorCnssMonths: 0 },
    appliedOn: '2022-06-05',
    eligibility,
    beneficiary: { province: 'Guelmim', categories },
    ...fields,
  });

export const grantDecided: Build<'GrantDecided'> = (fields) =>
  storedEvent('GrantDecided', {
    grantId: 'g-1',
    region: 'MA-10',
    outcome: 'approved',
    decisionNumber: 'CT-g-1',
    date: '2022-06-15',
    envelope: { ...share(2_700_000, 'lasting_integration'), jobs: 1 },
    ...fields,
  });

export const grantPaymentRecorded: Build<'GrantPaymentRecorded'> = (fields) =>
  storedEvent('GrantPaymentRecorded', {
    grantId: 'g-1',
    region: 'MA-10',
    month: '2022-07',
    amountCentimes: 150_000,
    channel: 'employer',
    paidOn: '2022-08-05',
    ...fields,
  });

export const grantContractEnded: Build<'GrantContractEnded'> = (fields) =>
  storedEvent('GrantContractEnded', {
    grantId: 'g-1',
    region: 'MA-10',
    lastDay: '2022-07-24',
    reason: 'resignation',
    entitledCentimes: 150_000,
    cancelledCentimes: 2_550_000,
    schedule: [],
    ...fields,
  });

export const grantClawbackClaimed: Build<'GrantClawbackClaimed'> = (fields) =>
  storedEvent('GrantClawbackClaimed', {
    grantId: 'g-1',
    region: 'MA-10',
    amountCentimes: 50_000,
    on: '2022-08-10',
    reason: 'paid past the end',
    months: [{ month: '2022-07', paidCentimes: 150_000, dueCentimes: 100_000 }],
    ...fields,
  });
