import type { IntegrationEventData } from '@tashghil/contracts';
import { insertRows, VALIDITY, type Column } from './bitemporal';
import { readModel, type Fold, type VersionRow } from './read-model';

/** A decision on a file: a works project's or a grant's. */
export type Decided = IntegrationEventData<'WorksProjectDecided'> | IntegrationEventData<'GrantDecided'>;

/** The key of a table of files, works projects and grants alike. */
export const FILE_KEY: readonly Column[] = [
  ['kind', 'text'],
  ['file_id', 'text'],
];

/** One rule over a file's row, folded from the decisions on works projects and on grants alike. */
export const onDecisions = (
  next: (held: VersionRow | undefined, d: Decided) => VersionRow | undefined,
): { readonly WorksProjectDecided: Fold<'WorksProjectDecided'>; readonly GrantDecided: Fold<'GrantDecided'> } => ({
  WorksProjectDecided: { key: (d) => ['works-project', d.projectId], next },
  GrantDecided: { key: (d) => ['grant', d.grantId], next },
});

/**
 * A file's decision: the latest one by date, then by number (compared code point by code point, so
 * the order does not hang on the server's collation), whatever order the events came in.
 */
const standing = (held: VersionRow | undefined, d: Decided): VersionRow | undefined => {
  const newer =
    held === undefined ||
    d.date > String(held.decided_on) ||
    (d.date === held.decided_on && d.decisionNumber > String(held.decision_number));
  if (!newer) return held;
  return {
    region: held?.region ?? d.region,
    outcome: d.outcome,
    decision_number: d.decisionNumber,
    decided_on: d.date,
  };
};

/** What the committees decided: the decisions they recorded, and the one that stands on each file. */
export const decisions = readModel({
  revision: 2,
  tables: {
    recorded_decisions: (s) => `
CREATE TABLE ${s}.recorded_decisions (
  committee_id text, decision_number text, region text NOT NULL, kind text NOT NULL, programme text NOT NULL,
  decided_on date NOT NULL, subject text NOT NULL, outcome text NOT NULL, ${VALIDITY}, PRIMARY KEY (committee_id, decision_number)
);`,
    file_decisions: (s) => `
CREATE TABLE ${s}.file_decisions (
  kind text, file_id text, region text NOT NULL, outcome text NOT NULL, decision_number text NOT NULL, decided_on date NOT NULL,
  ${VALIDITY}, PRIMARY KEY (kind, file_id, valid_from)
);
CREATE INDEX ON ${s}.file_decisions (kind, file_id) WHERE valid_to = 'infinity';`,
  },
  versions: {
    file_decisions: {
      key: FILE_KEY,
      columns: [
        ['region', 'text'],
        ['outcome', 'text'],
        ['decision_number', 'text'],
        ['decided_on', 'date'],
      ],
      folds: onDecisions(standing),
    },
  },
  pages: {
    CommitteeDecisionRecorded: (q, s, recorded) =>
      insertRows(
        q,
        s,
        'recorded_decisions',
        [
          ['committee_id', 'text'],
          ['decision_number', 'text'],
          ['region', 'text'],
          ['kind', 'text'],
          ['programme', 'text'],
          ['decided_on', 'date'],
          ['subject', 'text'],
          ['outcome', 'text'],
          ['valid_from', 'timestamptz'],
        ],
        recorded.map(({ data: r, event }) => [
          r.committeeId,
          r.decisionNumber,
          r.region,
          r.kind,
          r.programme,
          r.date,
          r.subject,
          r.outcome,
          event.recordedAt,
        ]),
      ),
  },
});
