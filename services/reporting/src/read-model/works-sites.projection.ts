import { readModel } from './read-model';

/** Temporary public works sites: programmed, decided, launched, completed, and who was enrolled on each. */
export const worksSites = readModel({
  revision: 1,
  tables: {
    works_sites: (s) => `
CREATE TABLE ${s}.works_sites (
  project_id text PRIMARY KEY, region text NOT NULL, province text NOT NULL, kind text NOT NULL, jobs integer NOT NULL,
  budget_centimes bigint NOT NULL, proposed_on date NOT NULL, outcome text, decided_on date, launched_on date, completed_on date
);`,
    enrolments: (s) => `
CREATE TABLE ${s}.enrolments (project_id text, beneficiary_id text, region text NOT NULL, enrolled_on date NOT NULL, PRIMARY KEY (project_id, beneficiary_id));`,
  },
  handlers: {
    WorksProjectProposed: async (q, s, proposed) => {
      await q.query(
        `INSERT INTO ${s}.works_sites (project_id, region, province, kind, jobs, budget_centimes, proposed_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7::date) ON CONFLICT (project_id) DO NOTHING`,
        [
          proposed.projectId,
          proposed.region,
          proposed.province,
          proposed.kind,
          proposed.jobs,
          proposed.budgetCentimes,
          proposed.proposedOn,
        ],
      );
    },
    WorksProjectDecided: async (q, s, decided) => {
      await q.query(`UPDATE ${s}.works_sites SET outcome = $2, decided_on = $3::date WHERE project_id = $1`, [
        decided.projectId,
        decided.outcome,
        decided.date,
      ]);
    },
    WorksSiteLaunched: async (q, s, launched) => {
      await q.query(`UPDATE ${s}.works_sites SET launched_on = $2::date WHERE project_id = $1`, [
        launched.projectId,
        launched.on,
      ]);
    },
    WorksSiteCompleted: async (q, s, completed) => {
      await q.query(`UPDATE ${s}.works_sites SET completed_on = $2::date WHERE project_id = $1`, [
        completed.projectId,
        completed.on,
      ]);
    },
    WorksBeneficiaryEnrolled: async (q, s, enrolled) => {
      await q.query(
        `INSERT INTO ${s}.enrolments (project_id, beneficiary_id, region, enrolled_on) VALUES ($1, $2, $3, $4::date)
         ON CONFLICT DO NOTHING`,
        [enrolled.projectId, enrolled.beneficiaryId, enrolled.region, enrolled.on],
      );
    },
  },
});
