import { BENEFICIARY_RULE } from '../beneficiaries.query';
import type { CommitteeReport } from '../report.types';

/** A small, hand-built report for the export tests: every part has lines, and the awkward cases are in. */
export const guelmimReport: CommitteeReport = {
  scope: { region: 'MA-10', name: { fr: 'Guelmim-Oued Noun', ar: 'كلميم واد نون' } },
  asOf: '2022-12-31',
  basis: { kind: 'replay', events: 1_234, lastRecordedAt: '2022-12-30T16:45:00.000Z' },
  generatedAt: '2023-01-02T08:30:00.000Z',
  targets: [
    { region: 'MA-10', source: 'programme', ref: 'awrach/2022', line: 'temporary_works', label: 'temporary_works', year: 2022, targetJobs: 3_800, achievedJobs: 2_950, endedJobs: 0 },
    { region: 'MA-10', source: 'programme', ref: 'awrach/2022', line: 'lasting_integration', label: 'Insertion durable', year: 2022, targetJobs: 1_000, achievedJobs: 1_120, endedJobs: 37 },
    { region: 'MA-10', source: 'convention', ref: 'convention-guelmim-2022', line: 'm-1', label: 'Chantiers, "pistes" et écoles', year: null, targetJobs: 500, achievedJobs: null, endedJobs: null },
  ],
  budget: [
    {
      region: 'MA-10', source: 'programme', ref: 'awrach/2022', line: 'lasting_integration', label: 'Insertion durable',
      stateCentimes: null, regionCentimes: null, budgetCentimes: 2_700_000_000, committedCentimes: 1_350_000_050, releasedCentimes: 4_130_007, paidCentimes: 5, clawedBackCentimes: 99,
    },
    {
      region: 'MA-10', source: 'convention', ref: 'convention-guelmim-2022', line: 'm-1', label: 'Chantiers',
      stateCentimes: 60_000_000, regionCentimes: 40_000_000, budgetCentimes: 100_000_000, committedCentimes: 0, releasedCentimes: 0, paidCentimes: 0, clawedBackCentimes: 0,
    },
  ],
  beneficiaries: {
    total: 4_070,
    byGender: [{ key: 'female', count: 1_221 }, { key: 'male', count: 2_849 }],
    byAgeBand: [{ key: 'under_25', count: 1_000 }, { key: '25_34', count: 2_000 }, { key: '35_54', count: 1_000 }, { key: '55_plus', count: 70 }],
    byDisability: [{ key: 'no', count: 4_000 }, { key: 'unknown', count: 30 }, { key: 'yes', count: 40 }],
    byDiploma: [{ key: 'diploma', count: 1_221 }, { key: 'none', count: 2_849 }],
    byArea: [{ key: 'rural', count: 2_035 }, { key: 'urban', count: 2_035 }],
    byLongTermUnemployment: [{ key: 'yes', count: 900 }, { key: 'no', count: 3_170 }],
    byProvince: [{ key: 'Guelmim', count: 2_000 }, { key: 'Tan-Tan', count: 1_070 }, { key: 'Sidi Ifni', count: 600 }, { key: 'Assa-Zag', count: 400 }],
    // 29 people are both on a site and hired, once in the total and once in each source and component.
    bySource: [{ key: 'grant', count: 1_091 }, { key: 'hire', count: 58 }, { key: 'works', count: 2_950 }],
    byComponent: [{ key: 'idmaj_training_contracts', count: 58 }, { key: 'lasting_integration', count: 1_091 }, { key: 'temporary_works', count: 2_950 }],
    basis: { rule: BENEFICIARY_RULE, counted: [{ key: 'grant', count: 1_091 }, { key: 'hire', count: 58 }, { key: 'works', count: 2_950 }], hiresLeftOut: 213 },
  },
  placements: { total: 1_120, bySector: [{ key: 'construction', count: 700 }, { key: 'tourism', count: 400 }, { key: 'aquaculture', count: 20 }] },
  flows: {
    byFlow: [{ key: 'own_region', count: 1_000 }, { key: 'other_region', count: 100 }, { key: 'abroad', count: 20 }],
    matrix: [
      { origin: 'MA-10', destination: 'MA-10', count: 1_000 },
      { origin: 'MA-10', destination: 'MA-09', count: 100 },
      { origin: 'MA-10', destination: 'abroad', count: 20 },
    ],
  },
  processingTimes: [
    { step: 'published_to_first_proposal', count: 80, medianDays: 4, p90Days: 12 },
    { step: 'published_to_opened_other_regions', count: 0, medianDays: null, p90Days: null },
    { step: 'published_to_first_hire', count: 60, medianDays: 21, p90Days: 45 },
    { step: 'proposal_to_hire', count: 60, medianDays: 9, p90Days: 30 },
  ],
  worksSites: {
    programmed: { sites: 40, jobs: 3_800 },
    launched: { sites: 31, jobs: 2_950 },
    completed: { sites: 12, jobs: 1_100 },
    enrolled: 2_950,
    byProvince: [
      { province: 'Guelmim', programmedSites: 20, programmedJobs: 1_900, launchedSites: 16, launchedJobs: 1_500, completedSites: 7 },
      { province: 'Tan-Tan', programmedSites: 20, programmedJobs: 1_900, launchedSites: 15, launchedJobs: 1_450, completedSites: 5 },
    ],
  },
  decisions: {
    recorded: [
      {
        region: 'MA-10', committeeId: 'awrach-guelmim-oued-noun-regional', kind: 'regional', decisionNumber: 'CR-2022-07', date: '2022-11-15',
        subject: 'Réaffectation des reliquats,\nvers la province de "Tan-Tan"', outcome: 'approved',
      },
      {
        region: 'MA-10', committeeId: 'awrach-guelmim-oued-noun-technical', kind: 'technical', decisionNumber: 'CT-2022-03', date: '2022-06-01',
        subject: '=HYPERLINK("http://example.invalid")', outcome: 'deferred',
      },
    ],
    onFiles: [{ key: 'grant/approved', count: 1_120 }, { key: 'works-project/rejected', count: 4 }],
  },
  timeline: [
    { month: '2022-05', hires: 0, enrolments: 400, paidCentimes: 0 },
    { month: '2022-06', hires: 120, enrolments: 900, paidCentimes: 123_456_789 },
    { month: '2022-07', hires: 80, enrolments: 0, paidCentimes: -150 },
  ],
};

/** A region before anything happened: every list empty, every optional figure null. */
export const emptyReport: CommitteeReport = {
  scope: { region: null, name: { fr: '', ar: '' } },
  asOf: null,
  basis: { kind: 'live', events: 0, lastRecordedAt: null },
  generatedAt: '2023-01-02T08:30:00.000Z',
  targets: [],
  budget: [],
  beneficiaries: { total: 0, byGender: [], byAgeBand: [], byDisability: [], byDiploma: [], byArea: [], byLongTermUnemployment: [], byProvince: [], bySource: [], byComponent: [], basis: { rule: { fr: '', ar: '' }, counted: [], hiresLeftOut: 0 } },
  placements: { total: 0, bySector: [] },
  flows: { byFlow: [], matrix: [] },
  processingTimes: [],
  worksSites: {
    programmed: { sites: 0, jobs: 0 }, launched: { sites: 0, jobs: 0 }, completed: { sites: 0, jobs: 0 }, enrolled: 0, byProvince: [],
  },
  decisions: { recorded: [], onFiles: [] },
  timeline: [],
};
