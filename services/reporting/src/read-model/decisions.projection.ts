import type { Queryable } from '@tashghil/event-store';
import { change, insertRows, VALIDITY } from './bitemporal';
import { readModel } from './read-model';

/** A file's decision: the latest one by date (then number), whatever order the events came in. */
const fileDecision = async (
  q: Queryable,
  s: string,
  kind: 'works-project' | 'grant',
  fileId: string,
  region: string,
  d: { outcome: string; decisionNumber: string; date: string },
  at: string,
): Promise<void> => {
  // A file's first decision opens its row (one round trip); a later one replaces it if it is newer.
  const { rows } = await q.query(
    `INSERT INTO ${s}.file_decisions (kind, file_id, region, outcome, decision_number, decided_on, valid_from)
     SELECT $1, $2, $3, $4, $5, $6::date, $7::timestamptz
      WHERE NOT EXISTS (SELECT 1 FROM ${s}.file_decisions WHERE kind = $1 AND file_id = $2 AND valid_to = 'infinity') RETURNING 1`,
    [kind, fileId, region, d.outcome, d.decisionNumber, d.date, at],
  );
  if (rows.length > 0) return;
  await change(
    q,
    s,
    'file_decisions',
    {
      where: 'kind = $1 AND file_id = $2 AND ($3::date, $4::text) > (decided_on, decision_number)',
      params: [kind, fileId, d.date, d.decisionNumber],
    },
    { set: 'outcome = $5, decision_number = $4, decided_on = $3::date', values: [d.outcome] },
    at,
  );
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
  handlers: {
    WorksProjectDecided: async (q, s, decided, event) => {
      await fileDecision(q, s, 'works-project', decided.projectId, decided.region, decided, event.recordedAt);
    },
    GrantDecided: async (q, s, decided, event) => {
      await fileDecision(q, s, 'grant', decided.grantId, decided.region, decided, event.recordedAt);
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
