import type { IntegrationEventData } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { change, insertRows, VALIDITY } from './bitemporal';
import { readModel } from './read-model';

type Decision = IntegrationEventData<'WorksProjectDecided'> | IntegrationEventData<'GrantDecided'>;
type Kind = 'works-project' | 'grant';

const FILE = `kind = $1 AND file_id = $2`;

/** A file's row: created on its first fact, changed by `set` (over `$3`…) from then on. */
const fileFact = async (
  q: Queryable,
  s: string,
  kind: Kind,
  fileId: string,
  region: string,
  fact: { readonly set: string; readonly guard?: string; readonly values: readonly unknown[]; readonly insert: string },
  at: string,
): Promise<void> => {
  const params = [kind, fileId, ...fact.values];
  const n = params.length;
  // Most facts open their file (one round trip); a later one changes it.
  const { rows } = await q.query(
    `INSERT INTO ${s}.files (kind, file_id, region, ${fact.insert}, valid_from)
     SELECT $1, $2, $${n + 1}, ${fact.values.map((_, i) => `$${i + 3}`).join(', ')}, $${n + 2}::timestamptz
      WHERE NOT EXISTS (SELECT 1 FROM ${s}.files WHERE ${FILE} AND valid_to = 'infinity') RETURNING 1`,
    [...params, region, at],
  );
  if (rows.length > 0) return;
  const where = `${FILE}${fact.guard ? ` AND ${fact.guard}` : ''}`;
  await change(q, s, 'files', { where, params: [kind, fileId] }, { set: fact.set, values: fact.values }, at);
};

/**
 * An approval that names its envelope share commits it, once: the first approval stands. The file
 * takes the programme line it draws on from the decision.
 */
const commit = async (q: Queryable, s: string, kind: Kind, fileId: string, d: Decision, at: string): Promise<void> => {
  if (d.outcome !== 'approved' || !d.envelope) return;
  const { programme, year, component, jobs, centimes } = d.envelope;
  await q.query(
    `INSERT INTO ${s}.commitments (kind, file_id, region, programme, year, component, jobs, centimes, decided_on, valid_from)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10::timestamptz
      WHERE NOT EXISTS (SELECT 1 FROM ${s}.commitments WHERE ${FILE})`,
    [kind, fileId, d.region, programme, year, component, jobs, centimes, d.date, at],
  );
  await fileFact(
    q,
    s,
    kind,
    fileId,
    d.region,
    {
      set: 'programme = $3, year = $4, component = $5',
      values: [programme, year, component],
      insert: 'programme, year, component',
    },
    at,
  );
};

/**
 * What works projects and grant files draw on their programme's envelope: the line each file draws
 * from, what its approval committed (re-priced for a works site), and what an early end released.
 */
export const commitments = readModel({
  revision: 2,
  tables: {
    files: (s) => `
CREATE TABLE ${s}.files (
  kind text, file_id text, region text NOT NULL, province text, programme text, year integer, component text, ${VALIDITY},
  PRIMARY KEY (kind, file_id, valid_from)
);
CREATE INDEX ON ${s}.files (kind, file_id) WHERE valid_to = 'infinity';`,
    // Revision 0 is the approval; a works site's re-pricings count up from 1 and the highest stands.
    commitments: (s) => `
CREATE TABLE ${s}.commitments (
  kind text, file_id text, region text NOT NULL, programme text NOT NULL, year integer NOT NULL, component text NOT NULL,
  jobs integer NOT NULL, centimes bigint NOT NULL, decided_on date NOT NULL,
  revision integer NOT NULL DEFAULT 0, ${VALIDITY}, PRIMARY KEY (kind, file_id, valid_from)
);
CREATE INDEX ON ${s}.commitments (kind, file_id) WHERE valid_to = 'infinity';`,
    // Grants ended early: the unpaid remainder released from the commitment, and the job no longer achieved.
    grant_ends: (s) => `
CREATE TABLE ${s}.grant_ends (
  event_id uuid PRIMARY KEY, grant_id text NOT NULL, region text NOT NULL, last_day date NOT NULL, cancelled_centimes bigint NOT NULL,
  ${VALIDITY}
);`,
  },
  handlers: {
    WorksProjectProposed: async (q, s, proposed, event) => {
      await fileFact(
        q,
        s,
        'works-project',
        proposed.projectId,
        proposed.region,
        { set: 'province = $3', values: [proposed.province], insert: 'province' },
        event.recordedAt,
      );
    },
    WorksProjectDecided: async (q, s, decided, event) => {
      await commit(q, s, 'works-project', decided.projectId, decided, event.recordedAt);
    },
    WorksCommitmentRevised: async (q, s, revised, event) => {
      // A stream's events arrive in order, after its approval; the revision guard keeps a replayed one from going back.
      await change(
        q,
        s,
        'commitments',
        {
          where: `kind = 'works-project' AND file_id = $1 AND region = $2 AND revision < $3`,
          params: [revised.projectId, revised.region, revised.revision],
        },
        { set: 'revision = $3, centimes = $4, jobs = $5', values: [revised.envelope.centimes, revised.envelope.jobs] },
        event.recordedAt,
      );
    },
    GrantApplied: async (q, s, applied, event) => {
      await fileFact(
        q,
        s,
        'grant',
        applied.grantId,
        applied.region,
        { set: 'programme = $3', guard: 'programme IS NULL', values: [applied.programme], insert: 'programme' },
        event.recordedAt,
      );
    },
    GrantDecided: async (q, s, decided, event) => {
      await commit(q, s, 'grant', decided.grantId, decided, event.recordedAt);
    },
  },
  pages: {
    GrantContractEnded: (q, s, ends) =>
      insertRows(
        q,
        s,
        'grant_ends',
        [
          ['event_id', 'uuid'],
          ['grant_id', 'text'],
          ['region', 'text'],
          ['last_day', 'date'],
          ['cancelled_centimes', 'bigint'],
          ['valid_from', 'timestamptz'],
        ],
        ends.map(({ data: ended, event }) => [
          event.eventId,
          ended.grantId,
          ended.region,
          ended.lastDay,
          ended.cancelledCentimes,
          event.recordedAt,
        ]),
      ),
  },
});
