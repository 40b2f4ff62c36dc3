import type { Queryable } from '@tashghil/event-store';
import { change, insertRows, VALIDITY } from './bitemporal';
import { readModel } from './read-model';

const site = (q: Queryable, s: string, projectId: string, set: string, values: readonly unknown[], at: string) =>
  change(q, s, 'works_sites', { where: 'project_id = $1', params: [projectId] }, { set, values }, at);

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
  },
  handlers: {
    WorksProjectProposed: async (q, s, proposed, event) => {
      await q.query(
        `INSERT INTO ${s}.works_sites (project_id, region, province, kind, jobs, budget_centimes, proposed_on, valid_from)
         SELECT $1, $2, $3, $4, $5, $6, $7::date, $8::timestamptz
          WHERE NOT EXISTS (SELECT 1 FROM ${s}.works_sites WHERE project_id = $1)`,
        [
          proposed.projectId,
          proposed.region,
          proposed.province,
          proposed.kind,
          proposed.jobs,
          proposed.budgetCentimes,
          proposed.proposedOn,
          event.recordedAt,
        ],
      );
    },
    WorksProjectDecided: async (q, s, decided, event) => {
      await site(
        q,
        s,
        decided.projectId,
        'outcome = $2, decided_on = $3::date',
        [decided.outcome, decided.date],
        event.recordedAt,
      );
    },
    WorksSiteLaunched: async (q, s, launched, event) => {
      await site(q, s, launched.projectId, 'launched_on = $2::date', [launched.on], event.recordedAt);
    },
    WorksSiteCompleted: async (q, s, completed, event) => {
      await site(q, s, completed.projectId, 'completed_on = $2::date', [completed.on], event.recordedAt);
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
