import { insertRows, tallyTable, VALIDITY, type Tally } from './bitemporal';

/** Enrolments per day recorded, by region and month enrolled: the report's count and timeline. */
export const ENROLMENTS_BY_MONTH: Tally = {
  table: 'enrolments_by_month',
  source: 'enrolments',
  by: [
    ['region', 'f.region'],
    ['month', `to_char(f.enrolled_on, 'YYYY-MM')`],
  ],
  add: [['n', 'count(*)']],
};
import { readModel, type VersionRow } from './read-model';

/** A change to a site already proposed; nothing before its proposal. */
const onSite = (held: VersionRow | undefined, change: VersionRow): VersionRow | undefined =>
  held && { ...held, ...change };

/** Temporary public works sites: programmed, decided, launched, completed, and who was enrolled on each. */
export const worksSites = readModel({
  revision: 2,
  tables: {
    works_sites: (s) => `
CREATE TABLE ${s}.works_sites (
  project_id text, region text NOT NULL, province text NOT NULL, kind text NOT NULL, jobs integer NOT NULL,
  budget_centimes bigint NOT NULL, proposed_on date NOT NULL, outcome text, decided_on date, launched_on date, completed_on date,
  ${VALIDITY}, PRIMARY KEY (project_id, valid_from)
);
CREATE INDEX ON ${s}.works_sites (project_id) WHERE valid_to = 'infinity';`,
    enrolments: (s) => `
CREATE TABLE ${s}.enrolments (
  project_id text, beneficiary_id text, region text NOT NULL, enrolled_on date NOT NULL, ${VALIDITY},
  PRIMARY KEY (project_id, beneficiary_id)
);`,
    enrolments_by_month: (s) => tallyTable(s, [ENROLMENTS_BY_MONTH], {}),
  },
  versions: {
    works_sites: {
      key: [['project_id', 'text']],
      columns: [
        ['region', 'text'],
        ['province', 'text'],
        ['kind', 'text'],
        ['jobs', 'integer'],
        ['budget_centimes', 'bigint'],
        ['proposed_on', 'date'],
        ['outcome', 'text'],
        ['decided_on', 'date'],
        ['launched_on', 'date'],
        ['completed_on', 'date'],
      ],
      folds: {
        // The first proposal stands.
        WorksProjectProposed: {
          key: (proposed) => [proposed.projectId],
          next: (held, proposed) =>
            held ?? {
              region: proposed.region,
              province: proposed.province,
              kind: proposed.kind,
              jobs: proposed.jobs,
              budget_centimes: proposed.budgetCentimes,
              proposed_on: proposed.proposedOn,
            },
        },
        WorksProjectDecided: {
          key: (decided) => [decided.projectId],
          next: (held, decided) => onSite(held, { outcome: decided.outcome, decided_on: decided.date }),
        },
        WorksSiteLaunched: {
          key: (launched) => [launched.projectId],
          next: (held, launched) => onSite(held, { launched_on: launched.on }),
        },
        WorksSiteCompleted: {
          key: (completed) => [completed.projectId],
          next: (held, completed) => onSite(held, { completed_on: completed.on }),
        },
      },
    },
  },
  pages: {
    WorksBeneficiaryEnrolled: (q, s, enrolments) =>
      insertRows(
        q,
        s,
        'enrolments',
        [
          ['project_id', 'text'],
          ['beneficiary_id', 'text'],
          ['region', 'text'],
          ['enrolled_on', 'date'],
          ['valid_from', 'timestamptz'],
        ],
        enrolments.map(({ data: e, event }) => [e.projectId, e.beneficiaryId, e.region, e.on, event.recordedAt]),
      ),
  },
});
