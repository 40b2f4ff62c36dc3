import { readModel } from './read-model';

/**
 * Each programme's targets and budget per component, for a region and a year, as the latest revision
 * set them. A set is a full revision, not a delta (libs/contracts, `programmeTargetsSetV1`).
 */
export const programmeTargets = readModel({
  revision: 1,
  tables: {
    programme_revisions: (s) => `
CREATE TABLE ${s}.programme_revisions (region text, programme text, year integer, revision integer NOT NULL, PRIMARY KEY (region, programme, year));`,
    programme_targets: (s) => `
CREATE TABLE ${s}.programme_targets (
  region text, programme text, year integer, component text, target_jobs integer NOT NULL, budget_centimes bigint,
  PRIMARY KEY (region, programme, year, component)
);`,
  },
  handlers: {
    ProgrammeTargetsSet: async (q, s, set) => {
      // Only a higher revision than the one held replaces it, whatever order the sets arrive in.
      const { rows } = await q.query(
        `INSERT INTO ${s}.programme_revisions (region, programme, year, revision) VALUES ($1, $2, $3, $4)
         ON CONFLICT (region, programme, year) DO UPDATE SET revision = EXCLUDED.revision
          WHERE ${s}.programme_revisions.revision < EXCLUDED.revision
         RETURNING revision`,
        [set.region, set.programme, set.year, set.revision],
      );
      if (rows.length === 0) return;
      await q.query(`DELETE FROM ${s}.programme_targets WHERE region = $1 AND programme = $2 AND year = $3`, [
        set.region,
        set.programme,
        set.year,
      ]);
      for (const c of set.components) {
        await q.query(
          `INSERT INTO ${s}.programme_targets (region, programme, year, component, target_jobs, budget_centimes)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [set.region, set.programme, set.year, c.component, c.targetJobs, c.budgetCentimes ?? null],
        );
      }
    },
  },
});
