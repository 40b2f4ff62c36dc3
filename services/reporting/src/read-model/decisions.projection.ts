import type { Queryable } from '@tashghil/event-store';
import { readModel } from './read-model';

/** A file's decision: the latest one by date (then number), whatever order the events came in. */
const fileDecision = (
  q: Queryable,
  s: string,
  kind: 'works-project' | 'grant',
  fileId: string,
  region: string,
  d: { outcome: string; decisionNumber: string; date: string },
) =>
  q.query(
    `INSERT INTO ${s}.file_decisions (kind, file_id, region, outcome, decision_number, decided_on) VALUES ($1, $2, $3, $4, $5, $6::date)
     ON CONFLICT (kind, file_id) DO UPDATE
        SET outcome = EXCLUDED.outcome, decision_number = EXCLUDED.decision_number, decided_on = EXCLUDED.decided_on
      WHERE (EXCLUDED.decided_on, EXCLUDED.decision_number) > (${s}.file_decisions.decided_on, ${s}.file_decisions.decision_number)`,
    [kind, fileId, region, d.outcome, d.decisionNumber, d.date],
  );

/** What the committees decided: the decisions they recorded, and the one that stands on each file. */
export const decisions = readModel({
  revision: 1,
  tables: {
    recorded_decisions: (s) => `
CREATE TABLE ${s}.recorded_decisions (
  committee_id text, decision_number text, region text NOT NULL, kind text NOT NULL, programme text NOT NULL,
  decided_on date NOT NULL, subject text NOT NULL, outcome text NOT NULL, PRIMARY KEY (committee_id, decision_number)
);`,
    file_decisions: (s) => `
CREATE TABLE ${s}.file_decisions (
  kind text, file_id text, region text NOT NULL, outcome text NOT NULL, decision_number text NOT NULL, decided_on date NOT NULL,
  PRIMARY KEY (kind, file_id)
);`,
  },
  handlers: {
    CommitteeDecisionRecorded: async (q, s, recorded) => {
      await q.query(
        `INSERT INTO ${s}.recorded_decisions (committee_id, decision_number, region, kind, programme, decided_on, subject, outcome)
         VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8) ON CONFLICT (committee_id, decision_number) DO NOTHING`,
        [
          recorded.committeeId,
          recorded.decisionNumber,
          recorded.region,
          recorded.kind,
          recorded.programme,
          recorded.date,
          recorded.subject,
          recorded.outcome,
        ],
      );
    },
    WorksProjectDecided: async (q, s, decided) => {
      await fileDecision(q, s, 'works-project', decided.projectId, decided.region, decided);
    },
    GrantDecided: async (q, s, decided) => {
      await fileDecision(q, s, 'grant', decided.grantId, decided.region, decided);
    },
  },
});
