import { insertRows, tallyTable, VALIDITY, type Column, type Tally } from './bitemporal';

/** Money paid per day recorded, by region and the month paid for: the report's timeline. */
export const PAID_BY_MONTH: Tally = {
  table: 'paid_by_month',
  source: 'payments',
  by: [
    ['region', 'f.region'],
    ['month', 'f.month'],
  ],
  add: [['centimes', 'sum(f.centimes)']],
};
import { readModel } from './read-model';

const PAYMENT: readonly Column[] = [
  ['event_id', 'uuid'],
  ['kind', 'text'],
  ['file_id', 'text'],
  ['region', 'text'],
  ['month', 'text'],
  ['centimes', 'bigint'],
  ['valid_from', 'timestamptz'],
];

/** Money paid out on works sites and grant files, and what was claimed back; one row per event. */
export const payments = readModel({
  revision: 2,
  tables: {
    payments: (s) => `
CREATE TABLE ${s}.payments (
  event_id uuid PRIMARY KEY, kind text NOT NULL, file_id text NOT NULL, region text NOT NULL, month text NOT NULL, centimes bigint NOT NULL,
  ${VALIDITY}
);`,
    paid_by_month: (s) => tallyTable(s, [PAID_BY_MONTH], {}),
    clawbacks: (s) => `
CREATE TABLE ${s}.clawbacks (
  event_id uuid PRIMARY KEY, kind text NOT NULL, file_id text NOT NULL, region text NOT NULL, centimes bigint NOT NULL, claimed_on date NOT NULL,
  ${VALIDITY}
);`,
  },
  handlers: {},
  pages: {
    // What the programme pays for a month of a site: the gross wages and the employer's contributions.
    WorksPayrollRecorded: (q, s, payrolls) =>
      insertRows(
        q,
        s,
        'payments',
        PAYMENT,
        payrolls.map(({ data: p, event }) => [
          event.eventId,
          'works-project',
          p.projectId,
          p.region,
          p.month,
          p.totals.grossCentimes + p.totals.employerCentimes,
          event.recordedAt,
        ]),
      ),
    GrantPaymentRecorded: (q, s, paid) =>
      insertRows(
        q,
        s,
        'payments',
        PAYMENT,
        paid.map(({ data: p, event }) => [
          event.eventId,
          'grant',
          p.grantId,
          p.region,
          p.month,
          p.amountCentimes,
          event.recordedAt,
        ]),
      ),
    GrantClawbackClaimed: (q, s, claimed) =>
      insertRows(
        q,
        s,
        'clawbacks',
        [
          ['event_id', 'uuid'],
          ['kind', 'text'],
          ['file_id', 'text'],
          ['region', 'text'],
          ['centimes', 'bigint'],
          ['claimed_on', 'date'],
          ['valid_from', 'timestamptz'],
        ],
        claimed.map(({ data: c, event }) => [
          event.eventId,
          'grant',
          c.grantId,
          c.region,
          c.amountCentimes,
          c.on,
          event.recordedAt,
        ]),
      ),
  },
});
