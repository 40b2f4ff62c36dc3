import type { IntegrationEventData } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { readModel } from './read-model';

type Decision = IntegrationEventData<'WorksProjectDecided'> | IntegrationEventData<'GrantDecided'>;

/**
 * An approval that names its envelope share commits it, once: the first approval stands. The file
 * takes the programme line it draws on from the decision.
 */
const commit = async (
  q: Queryable,
  s: string,
  kind: 'works-project' | 'grant',
  fileId: string,
  d: Decision,
): Promise<void> => {
  if (d.outcome !== 'approved' || !d.envelope) return;
  const { programme, year, component, jobs, centimes } = d.envelope;
  await q.query(
    `INSERT INTO ${s}.commitments (kind, file_id, region, programme, year, component, jobs, centimes, decided_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date) ON CONFLICT (kind, file_id) DO NOTHING`,
    [kind, fileId, d.region, programme, year, component, jobs, centimes, d.date],
  );
  await q.query(
    `INSERT INTO ${s}.files (kind, file_id, region, programme, year, component) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (kind, file_id) DO UPDATE SET programme = EXCLUDED.programme, year = EXCLUDED.year, component = EXCLUDED.component`,
    [kind, fileId, d.region, programme, year, component],
  );
};

/**
 * What works projects and grant files draw on their programme's envelope: the line each file draws
 * from, what its approval committed (re-priced for a works site), and what an early end released.
 */
export const commitments = readModel({
  revision: 1,
  tables: {
    files: (s) => `
CREATE TABLE ${s}.files (
  kind text, file_id text, region text NOT NULL, province text, programme text, year integer, component text,
  PRIMARY KEY (kind, file_id)
);`,
    // Revision 0 is the approval; a works site's re-pricings count up from 1 and the highest stands.
    commitments: (s) => `
CREATE TABLE ${s}.commitments (
  kind text, file_id text, region text NOT NULL, programme text NOT NULL, year integer NOT NULL, component text NOT NULL,
  jobs integer NOT NULL, centimes bigint NOT NULL, decided_on date NOT NULL,
  revision integer NOT NULL DEFAULT 0, PRIMARY KEY (kind, file_id)
);`,
    // Grants ended early: the unpaid remainder released from the commitment, and the job no longer achieved.
    grant_ends: (s) => `
CREATE TABLE ${s}.grant_ends (
  event_id uuid PRIMARY KEY, grant_id text NOT NULL, region text NOT NULL, last_day date NOT NULL, cancelled_centimes bigint NOT NULL
);`,
  },
  handlers: {
    WorksProjectProposed: async (q, s, proposed) => {
      await q.query(
        `INSERT INTO ${s}.files (kind, file_id, region, province) VALUES ('works-project', $1, $2, $3)
         ON CONFLICT (kind, file_id) DO UPDATE SET province = EXCLUDED.province`,
        [proposed.projectId, proposed.region, proposed.province],
      );
    },
    WorksProjectDecided: async (q, s, decided) => {
      await commit(q, s, 'works-project', decided.projectId, decided);
    },
    WorksCommitmentRevised: async (q, s, revised) => {
      // A stream's events arrive in order, after its approval; the revision guard keeps a replayed one from going back.
      await q.query(
        `UPDATE ${s}.commitments SET centimes = $3, jobs = $4, revision = $5
          WHERE kind = 'works-project' AND file_id = $1 AND region = $2 AND revision < $5`,
        [revised.projectId, revised.region, revised.envelope.centimes, revised.envelope.jobs, revised.revision],
      );
    },
    GrantApplied: async (q, s, applied) => {
      await q.query(
        `INSERT INTO ${s}.files (kind, file_id, region, programme) VALUES ('grant', $1, $2, $3)
         ON CONFLICT (kind, file_id) DO UPDATE SET programme = COALESCE(${s}.files.programme, EXCLUDED.programme)`,
        [applied.grantId, applied.region, applied.programme],
      );
    },
    GrantDecided: async (q, s, decided) => {
      await commit(q, s, 'grant', decided.grantId, decided);
    },
    GrantContractEnded: async (q, s, ended, event) => {
      await q.query(
        `INSERT INTO ${s}.grant_ends (event_id, grant_id, region, last_day, cancelled_centimes)
         VALUES ($1, $2, $3, $4::date, $5) ON CONFLICT DO NOTHING`,
        [event.eventId, ended.grantId, ended.region, ended.lastDay, ended.cancelledCentimes],
      );
    },
  },
});
