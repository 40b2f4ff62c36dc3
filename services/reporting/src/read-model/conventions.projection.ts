import type { IntegrationEventData } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { readModel } from './read-model';

type Measured = IntegrationEventData<'ConventionSigned'> | IntegrationEventData<'ConventionAmended'>;

/** A signature or an amendment states the whole list of measures: it replaces the one held. */
const replaceMeasures = async (q: Queryable, s: string, d: Measured): Promise<void> => {
  await q.query(`DELETE FROM ${s}.convention_measures WHERE convention_id = $1`, [d.conventionId]);
  for (const m of d.measures) {
    await q.query(
      `INSERT INTO ${s}.convention_measures (convention_id, measure_id, programme_line, label, target_total, state_centimes, region_centimes)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        d.conventionId,
        m.measureId,
        m.programmeLine,
        m.label ?? null,
        m.target?.total ?? null,
        m.budget?.stateCentimes ?? null,
        m.budget?.regionCentimes ?? null,
      ],
    );
  }
};

/** State–Region conventions: their period and status, and the targets and budget of each measure. */
export const conventions = readModel({
  revision: 1,
  tables: {
    conventions: (s) => `
CREATE TABLE ${s}.conventions (
  convention_id text PRIMARY KEY, region text NOT NULL, title text NOT NULL, period_start date NOT NULL,
  period_end date NOT NULL, status text NOT NULL, drafted_at timestamptz NOT NULL, drafted_by text NOT NULL, signed_on date
);`,
    convention_measures: (s) => `
CREATE TABLE ${s}.convention_measures (
  convention_id text NOT NULL, measure_id text NOT NULL, programme_line text NOT NULL, label text,
  target_total integer, state_centimes bigint, region_centimes bigint, PRIMARY KEY (convention_id, measure_id)
);`,
  },
  handlers: {
    ConventionDrafted: async (q, s, drafted) => {
      await q.query(
        `INSERT INTO ${s}.conventions (convention_id, region, title, period_start, period_end, status, drafted_at, drafted_by)
         VALUES ($1, $2, $3, $4::date, $5::date, 'drafted', $6::timestamptz, $7) ON CONFLICT (convention_id) DO NOTHING`,
        [
          drafted.conventionId,
          drafted.region,
          drafted.title,
          drafted.period.start,
          drafted.period.end,
          drafted.draftedAt,
          drafted.draftedBy,
        ],
      );
    },
    ConventionSigned: async (q, s, signed) => {
      await q.query(
        `UPDATE ${s}.conventions SET status = 'signed', signed_on = $2::date, title = $3, period_start = $4::date, period_end = $5::date
          WHERE convention_id = $1`,
        [signed.conventionId, signed.signedOn, signed.title, signed.period.start, signed.period.end],
      );
      await replaceMeasures(q, s, signed);
    },
    ConventionAmended: async (q, s, amended) => {
      await q.query(
        `UPDATE ${s}.conventions SET period_start = $2::date, period_end = $3::date WHERE convention_id = $1`,
        [amended.conventionId, amended.period.start, amended.period.end],
      );
      await replaceMeasures(q, s, amended);
    },
    ConventionClosed: async (q, s, closed) => {
      await q.query(`UPDATE ${s}.conventions SET status = $2 WHERE convention_id = $1`, [
        closed.conventionId,
        closed.early ? 'terminated' : 'closed',
      ]);
    },
  },
});
