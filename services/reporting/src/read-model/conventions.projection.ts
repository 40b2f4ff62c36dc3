import type { IntegrationEventData } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { change, endAt, VALIDITY } from './bitemporal';
import { readModel } from './read-model';

type Measured = IntegrationEventData<'ConventionSigned'> | IntegrationEventData<'ConventionAmended'>;

const CONVENTION = { where: 'convention_id = $1' } as const;

/** A signature or an amendment states the whole list of measures: it replaces the one held. */
const replaceMeasures = async (q: Queryable, s: string, d: Measured, at: string): Promise<void> => {
  await endAt(q, s, 'convention_measures', CONVENTION.where, [d.conventionId], at);
  if (d.measures.length === 0) return;
  await q.query(
    `INSERT INTO ${s}.convention_measures
       (convention_id, measure_id, programme_line, label, target_total, state_centimes, region_centimes, valid_from)
     SELECT $1, u.*, $8::timestamptz FROM unnest($2::text[], $3::text[], $4::text[], $5::integer[], $6::bigint[], $7::bigint[]) AS u`,
    [
      d.conventionId,
      d.measures.map((m) => m.measureId),
      d.measures.map((m) => m.programmeLine),
      d.measures.map((m) => m.label ?? null),
      d.measures.map((m) => m.target?.total ?? null),
      d.measures.map((m) => m.budget?.stateCentimes ?? null),
      d.measures.map((m) => m.budget?.regionCentimes ?? null),
      at,
    ],
  );
};

/** State–Region conventions: their period and status, and the targets and budget of each measure. */
export const conventions = readModel({
  revision: 2,
  tables: {
    conventions: (s) => `
CREATE TABLE ${s}.conventions (
  convention_id text, region text NOT NULL, title text NOT NULL, period_start date NOT NULL,
  period_end date NOT NULL, status text NOT NULL, drafted_at timestamptz NOT NULL, drafted_by text NOT NULL, signed_on date,
  ${VALIDITY}, PRIMARY KEY (convention_id, valid_from)
);`,
    convention_measures: (s) => `
CREATE TABLE ${s}.convention_measures (
  convention_id text NOT NULL, measure_id text NOT NULL, programme_line text NOT NULL, label text,
  target_total integer, state_centimes bigint, region_centimes bigint, ${VALIDITY},
  PRIMARY KEY (convention_id, measure_id, valid_from)
);`,
  },
  handlers: {
    ConventionDrafted: async (q, s, drafted, event) => {
      await q.query(
        `INSERT INTO ${s}.conventions (convention_id, region, title, period_start, period_end, status, drafted_at, drafted_by, valid_from)
         SELECT $1, $2, $3, $4::date, $5::date, 'drafted', $6::timestamptz, $7, $8::timestamptz
          WHERE NOT EXISTS (SELECT 1 FROM ${s}.conventions WHERE convention_id = $1)`,
        [
          drafted.conventionId,
          drafted.region,
          drafted.title,
          drafted.period.start,
          drafted.period.end,
          drafted.draftedAt,
          drafted.draftedBy,
          event.recordedAt,
        ],
      );
    },
    ConventionSigned: async (q, s, signed, event) => {
      await change(
        q,
        s,
        'conventions',
        { ...CONVENTION, params: [signed.conventionId] },
        {
          set: `status = 'signed', signed_on = $2::date, title = $3, period_start = $4::date, period_end = $5::date`,
          values: [signed.signedOn, signed.title, signed.period.start, signed.period.end],
        },
        event.recordedAt,
      );
      await replaceMeasures(q, s, signed, event.recordedAt);
    },
    ConventionAmended: async (q, s, amended, event) => {
      await change(
        q,
        s,
        'conventions',
        { ...CONVENTION, params: [amended.conventionId] },
        { set: 'period_start = $2::date, period_end = $3::date', values: [amended.period.start, amended.period.end] },
        event.recordedAt,
      );
      await replaceMeasures(q, s, amended, event.recordedAt);
    },
    ConventionClosed: async (q, s, closed, event) => {
      await change(
        q,
        s,
        'conventions',
        { ...CONVENTION, params: [closed.conventionId] },
        { set: 'status = $2', values: [closed.early ? 'terminated' : 'closed'] },
        event.recordedAt,
      );
    },
  },
});
