import { readModel } from './read-model';

/** Money paid out on works sites and grant files, and what was claimed back; one row per event. */
export const payments = readModel({
  revision: 1,
  tables: {
    payments: (s) => `
CREATE TABLE ${s}.payments (
  event_id uuid PRIMARY KEY, kind text NOT NULL, file_id text NOT NULL, region text NOT NULL, month text NOT NULL, centimes bigint NOT NULL
);`,
    clawbacks: (s) => `
CREATE TABLE ${s}.clawbacks (
  event_id uuid PRIMARY KEY, kind text NOT NULL, file_id text NOT NULL, region text NOT NULL, centimes bigint NOT NULL, claimed_on date NOT NULL
);`,
  },
  handlers: {
    WorksPayrollRecorded: async (q, s, payroll, event) => {
      // What the programme pays for a month of a site: the gross wages and the employer's contributions.
      await q.query(
        `INSERT INTO ${s}.payments (event_id, kind, file_id, region, month, centimes)
         VALUES ($1, 'works-project', $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [
          event.eventId,
          payroll.projectId,
          payroll.region,
          payroll.month,
          payroll.totals.grossCentimes + payroll.totals.employerCentimes,
        ],
      );
    },
    GrantPaymentRecorded: async (q, s, paid, event) => {
      await q.query(
        `INSERT INTO ${s}.payments (event_id, kind, file_id, region, month, centimes)
         VALUES ($1, 'grant', $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [event.eventId, paid.grantId, paid.region, paid.month, paid.amountCentimes],
      );
    },
    GrantClawbackClaimed: async (q, s, claimed, event) => {
      await q.query(
        `INSERT INTO ${s}.clawbacks (event_id, kind, file_id, region, centimes, claimed_on)
         VALUES ($1, 'grant', $2, $3, $4, $5::date) ON CONFLICT DO NOTHING`,
        [event.eventId, claimed.grantId, claimed.region, claimed.amountCentimes, claimed.on],
      );
    },
  },
});
