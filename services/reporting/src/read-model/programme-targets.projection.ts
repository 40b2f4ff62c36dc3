import { change, endAt, exists, VALIDITY } from './bitemporal';
import { readModel } from './read-model';

const PROGRAMME = 'region = $1 AND programme = $2 AND year = $3';

/**
 * Each programme's targets and budget per component, for a region and a year, as the latest revision
 * set them. A set is a full revision, not a delta (libs/contracts, `programmeTargetsSetV1`).
 */
export const programmeTargets = readModel({
  revision: 2,
  tables: {
    programme_revisions: (s) => `
CREATE TABLE ${s}.programme_revisions (
  region text, programme text, year integer, revision integer NOT NULL, ${VALIDITY}, PRIMARY KEY (region, programme, year, valid_from)
);`,
    programme_targets: (s) => `
CREATE TABLE ${s}.programme_targets (
  region text, programme text, year integer, component text, target_jobs integer NOT NULL, budget_centimes bigint, ${VALIDITY},
  PRIMARY KEY (region, programme, year, component, valid_from)
);`,
  },
  handlers: {
    ProgrammeTargetsSet: async (q, s, set, event) => {
      // Only a higher revision than the one held replaces it, whatever order the sets arrive in.
      const at = event.recordedAt;
      const key = [set.region, set.programme, set.year];
      if (await exists(q, s, 'programme_revisions', PROGRAMME, key)) {
        if (await exists(q, s, 'programme_revisions', `${PROGRAMME} AND revision >= $4`, [...key, set.revision]))
          return;
        await change(
          q,
          s,
          'programme_revisions',
          { where: PROGRAMME, params: key },
          { set: 'revision = $4', values: [set.revision] },
          at,
        );
      } else {
        await q.query(
          `INSERT INTO ${s}.programme_revisions (region, programme, year, revision, valid_from) VALUES ($1, $2, $3, $4, $5::timestamptz)`,
          [...key, set.revision, at],
        );
      }
      await endAt(q, s, 'programme_targets', PROGRAMME, key, at);
      if (set.components.length === 0) return;
      await q.query(
        `INSERT INTO ${s}.programme_targets (region, programme, year, component, target_jobs, budget_centimes, valid_from)
         SELECT $1, $2, $3, u.*, $7::timestamptz FROM unnest($4::text[], $5::integer[], $6::bigint[]) AS u`,
        [
          ...key,
          set.components.map((c) => c.component),
          set.components.map((c) => c.targetJobs),
          set.components.map((c) => c.budgetCentimes ?? null),
          at,
        ],
      );
    },
  },
});
