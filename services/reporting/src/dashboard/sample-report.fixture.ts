import type { CommitteeReport } from '../report/report.types';

/**
 * A committee report for Guelmim-Oued Noun written by hand, shaped like the API's answer, so the
 * dashboard's rendering can be checked without a running platform. Typed by the contract: a change
 * to CommitteeReport breaks the type check here before it breaks the page.
 */
export const sampleReport: CommitteeReport = {
  scope: { region: 'MA-10', name: { fr: 'Guelmim-Oued Noun', ar: 'كلميم واد نون' } },
  asOf: '2022-06-30',
  basis: { kind: 'replay', events: 1_482, lastRecordedAt: '2022-06-29T16:40:12.000Z' },
  generatedAt: '2022-07-01T08:00:00.000Z',
  targets: [
    { region: 'MA-10', source: 'programme', ref: 'awrach/2022', line: 'temporary_works', label: 'temporary_works', year: 2022, targetJobs: 3_800, achievedJobs: 412, endedJobs: 0 },
    { region: 'MA-10', source: 'programme', ref: 'awrach/2022', line: 'lasting_integration', label: 'lasting_integration', year: 2022, targetJobs: 1_000, achievedJobs: 50, endedJobs: 3 },
    { region: 'MA-10', source: 'convention', ref: 'guelmim-2021', line: 'auto-emploi', label: "Appui à l'auto-emploi", year: null, targetJobs: 250, achievedJobs: null, endedJobs: null },
  ],
  budget: [
    {
      region: 'MA-10', source: 'programme', ref: 'awrach/2022', line: 'lasting_integration', label: 'lasting_integration',
      stateCentimes: null, regionCentimes: null, budgetCentimes: 2_700_000_000, committedCentimes: 135_000_000, releasedCentimes: 6_750_000, paidCentimes: 22_500_001, clawedBackCentimes: 1_250_050,
    },
    {
      region: 'MA-10', source: 'programme', ref: 'awrach/2022', line: 'temporary_works', label: 'temporary_works',
      stateCentimes: null, regionCentimes: null, budgetCentimes: null, committedCentimes: 987_654_321, releasedCentimes: 0, paidCentimes: 123_456_789, clawedBackCentimes: 0,
    },
    {
      region: 'MA-10', source: 'convention', ref: 'guelmim-2021', line: 'auto-emploi', label: "Appui à l'auto-emploi",
      stateCentimes: 712_000_000, regionCentimes: 150_000_000, budgetCentimes: 862_000_000, committedCentimes: 0, releasedCentimes: 0, paidCentimes: 0, clawedBackCentimes: 0,
    },
  ],
  beneficiaries: {
    total: 462,
    byGender: [{ key: 'female', count: 139 }, { key: 'male', count: 323 }],
    byAgeBand: [{ key: 'under_25', count: 120 }, { key: '25_34', count: 201 }, { key: '35_54', count: 130 }, { key: '55_plus', count: 11 }],
    byDisability: [{ key: 'yes', count: 9 }, { key: 'no', count: 453 }],
    byDiploma: [{ key: 'diploma', count: 140 }, { key: 'none', count: 322 }],
    byArea: [{ key: 'rural', count: 231 }, { key: 'urban', count: 231 }],
    byLongTermUnemployment: [{ key: 'yes', count: 188 }, { key: 'no', count: 274 }],
    byProvince: [{ key: 'Guelmim', count: 190 }, { key: 'Tan-Tan', count: 120 }, { key: 'Sidi Ifni', count: 100 }, { key: 'Assa-Zag', count: 52 }],
    bySource: [{ key: 'works', count: 412 }, { key: 'grant', count: 53 }],
    byComponent: [{ key: 'temporary_works', count: 412 }, { key: 'lasting_integration', count: 53 }],
    basis: {
      rule: { fr: 'Chaque personne compte une fois dans le total <règle>.', ar: 'يُحتسب كل شخص مرة واحدة في المجموع.' },
      counted: [{ key: 'works', count: 412 }, { key: 'grant', count: 53 }],
      hiresLeftOut: 4,
    },
  },
  placements: { total: 57, bySector: [{ key: 'construction', count: 30 }, { key: 'tourism', count: 20 }, { key: 'fishing', count: 7 }] },
  flows: {
    byFlow: [{ key: 'own_region', count: 41 }, { key: 'other_region', count: 13 }, { key: 'abroad', count: 3 }],
    matrix: [
      { origin: 'MA-10', destination: 'MA-10', count: 41 },
      { origin: 'MA-10', destination: 'MA-09', count: 9 },
      { origin: 'MA-11', destination: 'MA-10', count: 4 },
      { origin: 'MA-10', destination: 'abroad', count: 3 },
    ],
  },
  processingTimes: [
    { step: 'published_to_first_proposal', count: 12, medianDays: 3, p90Days: 9 },
    { step: 'published_to_opened_other_regions', count: 4, medianDays: 15, p90Days: 15 },
    { step: 'published_to_first_hire', count: 8, medianDays: 21, p90Days: 40 },
    { step: 'proposal_to_hire', count: 0, medianDays: null, p90Days: null },
  ],
  worksSites: {
    programmed: { sites: 10, jobs: 480 },
    launched: { sites: 8, jobs: 412 },
    completed: { sites: 2, jobs: 60 },
    enrolled: 412,
    byProvince: [
      { province: 'Guelmim', programmedSites: 3, programmedJobs: 150, launchedSites: 3, launchedJobs: 150, completedSites: 1 },
      { province: 'Sidi Ifni', programmedSites: 3, programmedJobs: 140, launchedSites: 2, launchedJobs: 102, completedSites: 1 },
      { province: 'Tan-Tan', programmedSites: 2, programmedJobs: 100, launchedSites: 2, launchedJobs: 100, completedSites: 0 },
      { province: 'Assa-Zag', programmedSites: 2, programmedJobs: 90, launchedSites: 1, launchedJobs: 60, completedSites: 0 },
    ],
  },
  decisions: {
    recorded: [
      {
        region: 'MA-10', committeeId: 'awrach-guelmim-oued-noun-technical', kind: 'technical', decisionNumber: 'CT-2022-07',
        date: '2022-06-15', subject: 'Chantiers de la deuxième tranche <Assa-Zag & Tan-Tan>', outcome: 'deferred',
      },
      {
        region: 'MA-10', committeeId: 'awrach-guelmim-oued-noun-regional', kind: 'regional', decisionNumber: 'CR-2022-01',
        date: '2022-04-22', subject: 'Lancement du programme Awrach dans la région', outcome: 'approved',
      },
    ],
    onFiles: [{ key: 'works-project/approved', count: 10 }, { key: 'grant/approved', count: 50 }, { key: 'grant/rejected', count: 2 }],
  },
  timeline: [
    { month: '2022-04', hires: 0, enrolments: 0, paidCentimes: 0 },
    { month: '2022-05', hires: 20, enrolments: 300, paidCentimes: 75_000_000 },
    { month: '2022-06', hires: 30, enrolments: 112, paidCentimes: 70_956_790 },
  ],
};
