import { insertRows, VALIDITY } from './bitemporal';
import { FILE_KEY, onDecisions, type Decided } from './decisions.projection';
import { readModel, type VersionRow } from './read-model';

/** The envelope share an approval commits; none on a rejection or an approval that names none. */
const committed = (d: Decided) => (d.outcome === 'approved' ? d.envelope : undefined);

/** A file's row: opened by its first fact with its region, changed by the later ones. */
const fileFact = (held: VersionRow | undefined, region: string, change: VersionRow): VersionRow => ({
  region,
  ...held,
  ...change,
});

/** An approval files its file under the programme line it draws on, the latest approval's. */
const filedUnder = (held: VersionRow | undefined, d: Decided): VersionRow | undefined => {
  const share = committed(d);
  if (!share) return held;
  return fileFact(held, d.region, { programme: share.programme, year: share.year, component: share.component });
};

/** An approval that names its envelope share commits it, once: the first approval stands. */
const commit = (held: VersionRow | undefined, d: Decided): VersionRow | undefined => {
  const share = committed(d);
  if (held || !share) return held;
  return {
    region: d.region,
    programme: share.programme,
    year: share.year,
    component: share.component,
    jobs: share.jobs,
    centimes: share.centimes,
    decided_on: d.date,
    revision: 0,
  };
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
  versions: {
    files: {
      key: FILE_KEY,
      columns: [
        ['region', 'text'],
        ['province', 'text'],
        ['programme', 'text'],
        ['year', 'integer'],
        ['component', 'text'],
      ],
      folds: {
        WorksProjectProposed: {
          key: (proposed) => ['works-project', proposed.projectId],
          next: (held, proposed) => fileFact(held, proposed.region, { province: proposed.province }),
        },
        // A grant file's line is the one it applied under until an approval names its share.
        GrantApplied: {
          key: (applied) => ['grant', applied.grantId],
          next: (held, applied) =>
            held && held.programme != null ? held : fileFact(held, applied.region, { programme: applied.programme }),
        },
        ...onDecisions(filedUnder),
      },
    },
    commitments: {
      key: FILE_KEY,
      columns: [
        ['region', 'text'],
        ['programme', 'text'],
        ['year', 'integer'],
        ['component', 'text'],
        ['jobs', 'integer'],
        ['centimes', 'bigint'],
        ['decided_on', 'date'],
        ['revision', 'integer'],
      ],
      folds: {
        ...onDecisions(commit),
        // A revision re-prices an approved site's share; only a higher one than the share holds counts.
        WorksCommitmentRevised: {
          key: (revised) => ['works-project', revised.projectId],
          next: (held, revised) =>
            held && held.region === revised.region && Number(held.revision) < revised.revision
              ? {
                  ...held,
                  revision: revised.revision,
                  centimes: revised.envelope.centimes,
                  jobs: revised.envelope.jobs,
                }
              : held,
        },
      },
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
