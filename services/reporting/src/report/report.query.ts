import { REGIONS, type RegionCode } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { endOfDay, rowsAt, tallyUpTo } from '../read-model/bitemporal';
import { assertSchemaName } from '../read-model/layout';
import { beneficiariesOf, LINE_OF_CONTRACT } from './beneficiaries.query';
import type { BudgetLine, CommitteeReport, Count, StepTime, TargetLine } from './report.types';

const NATIONAL = { fr: 'Royaume du Maroc (national)', ar: 'المملكة المغربية (وطني)' } as const;

export interface ReportScope {
  readonly region?: RegionCode;
  readonly asOf: string | null;
  readonly kind: CommitteeReport['basis']['kind'];
}

const num = (v: unknown): number => Number(v ?? 0);
const counts = (rows: readonly { key: string; count: string | number }[]): Count[] =>
  rows.map((r) => ({ key: r.key, count: num(r.count) }));

/**
 * How many values a column of whole days holds, and its nearest-rank median and 90th percentile
 * (`percentile_disc` takes the first value whose rank reaches ceil(p × n)), as `name_n`,
 * `name_p50` and `name_p90`: the server sorts, only three numbers come back.
 */
export const daysOf = (name: string, column: string): string =>
  `count(${column}) AS ${name}_n, percentile_disc(0.5) WITHIN GROUP (ORDER BY ${column}) AS ${name}_p50,
   percentile_disc(0.9) WITHIN GROUP (ORDER BY ${column}) AS ${name}_p90`;

/**
 * `daysOf` over a histogram (a relation of `days` and how many `n` took that long): the nearest rank
 * is the first number of days whose running count reaches ceil(p × n), as percentile_disc computes
 * it (in float8), so a report reads a row per number of days instead of a row per case.
 */
export const daysOfHistogram = (name: string, histogram: string): string =>
  `SELECT coalesce(max(total), 0) AS ${name}_n,
          min(days) FILTER (WHERE below >= ceil(0.5::float8 * total)) AS ${name}_p50,
          min(days) FILTER (WHERE below >= ceil(0.9::float8 * total)) AS ${name}_p90
     FROM (SELECT days, sum(n) OVER (ORDER BY days) AS below, sum(n) OVER () AS total
             FROM (SELECT days, sum(n) AS n FROM ${histogram} h GROUP BY days) d) c`;

type Days<N extends string> = { readonly [K in `${N}_n` | `${N}_p50` | `${N}_p90`]: string | number | null };

const stepOf = <N extends string>(step: string, row: Days<N> | undefined, name: N): StepTime => {
  const value = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    step,
    count: num(row?.[`${name}_n`]),
    medianDays: value(row?.[`${name}_p50`]),
    p90Days: value(row?.[`${name}_p90`]),
  };
};

/**
 * The committee report, read from one generation of the read model: as it is now, or, with a day,
 * as it stood at the end of that day (the rows whose recorded-time interval holds that instant).
 * A region narrows every section to that region; without one the report is national.
 */
export const buildReport = async (q: Queryable, schema: string, scope: ReportScope): Promise<CommitteeReport> => {
  const s = assertSchemaName(schema);
  const region = scope.region ?? null;
  const instant = scope.asOf === null ? null : endOfDay(scope.asOf);
  const at = (table: string): string => rowsAt(s, table, instant);
  const upTo = (tally: string): string => tallyUpTo(s, tally, scope.asOf);
  const rows = async <R>(sql: string, params: readonly unknown[] = []): Promise<R[]> =>
    (await q.query<R>(sql, [region, ...params])).rows;
  const inRegion = (column = 'region') => `($1::text IS NULL OR ${column} = $1)`;
  /** Sums of a tally by programme line (lines.projection.ts), per line, in scope. */
  const perLine = (tally: string, sums: string) =>
    `SELECT region, programme, year, component, ${sums} FROM ${upTo(tally)} x WHERE ${inRegion()} GROUP BY 1, 2, 3, 4`;

  const [basis] = (
    await q.query<{ events: string | null; last: string | null }>(
      `SELECT sum(events)::text AS events, to_char(max(last) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last
         FROM ${s}.applied_days WHERE $1::date IS NULL OR day <= $1::date`,
      [scope.asOf],
    )
  ).rows;

  // Targets vs achieved. Temporary works achieve by enrolment on a site whose decision drew on the
  // component; grants by approval, until an early end (then they count as ended, apart). Convention
  // measures by hires under the matching contract type. Each figure is summed per line once, then
  // joined to the lines, rather than counted again for every line.
  const programmeTargets = await rows<{
    region: RegionCode;
    programme: string;
    year: number;
    component: string;
    target_jobs: number;
    budget_centimes: string | null;
    achieved: string;
    ended: string;
  }>(
    `WITH lines AS (SELECT * FROM ${at('programme_targets')} t WHERE ${inRegion('t.region')}),
          works AS (
            ${perLine('enrolled_by_line', 'sum(n) AS n')}),
          -- A grant's jobs count while it lasts, apart once it ended early (both from their tallies by line).
          jobs AS (
            ${perLine('committed_by_line', 'sum(grant_jobs) AS n')}),
          ends AS (
            ${perLine('released_by_line', 'sum(jobs) AS n')}),
          grants AS (
            SELECT region, programme, year, component, coalesce(j.n, 0) - coalesce(e.n, 0) AS going, e.n AS ended
              FROM jobs j FULL JOIN ends e USING (region, programme, year, component))
     SELECT t.region, t.programme, t.year, t.component, t.target_jobs, t.budget_centimes::text AS budget_centimes,
            (coalesce(w.n, 0) + coalesce(g.going, 0))::text AS achieved, coalesce(g.ended, 0)::text AS ended
       FROM lines t LEFT JOIN works w USING (region, programme, year, component)
            LEFT JOIN grants g USING (region, programme, year, component)
      ORDER BY t.region, t.programme, t.year, t.component`,
  );
  // Hires per region and day under a contract type a convention line pays for, summed over each
  // convention's period.
  const measures = await rows<{
    region: RegionCode;
    convention_id: string;
    measure_id: string;
    programme_line: string;
    label: string | null;
    target_total: number | null;
    state_centimes: string | null;
    region_centimes: string | null;
    achieved: string;
  }>(
    `WITH c AS (SELECT * FROM ${at('conventions')} c WHERE ${inRegion('c.region')}),
          hires AS (
            SELECT h.destination_region AS region, h.hired_on, sum(h.n) AS n FROM ${upTo('hires_by_contract')} h
             WHERE h.contract_type = ANY($2::text[]) AND h.destination_region IN (SELECT region FROM c) GROUP BY 1, 2),
          achieved AS (
            SELECT c.convention_id, coalesce(sum(h.n), 0) AS n FROM c
              LEFT JOIN hires h ON h.region = c.region AND h.hired_on BETWEEN c.period_start AND c.period_end GROUP BY 1)
     SELECT c.region, m.convention_id, m.measure_id, m.programme_line, m.label, m.target_total,
            m.state_centimes::text AS state_centimes, m.region_centimes::text AS region_centimes, a.n::text AS achieved
       FROM ${at('convention_measures')} m JOIN c USING (convention_id) JOIN achieved a USING (convention_id)
      ORDER BY c.region, m.convention_id, m.measure_id`,
    [Object.keys(LINE_OF_CONTRACT)],
  );
  const achievedLine = (line: string): boolean => Object.values(LINE_OF_CONTRACT).includes(line);
  const targets: TargetLine[] = [
    ...programmeTargets.map((t) => ({
      region: t.region,
      source: 'programme' as const,
      ref: `${t.programme}/${t.year}`,
      line: t.component,
      label: t.component,
      year: t.year,
      targetJobs: t.target_jobs,
      achievedJobs: num(t.achieved),
      endedJobs: num(t.ended),
    })),
    ...measures
      .filter((m) => m.target_total !== null)
      .map((m) => ({
        region: m.region,
        source: 'convention' as const,
        ref: m.convention_id,
        line: m.measure_id,
        label: m.label ?? m.measure_id,
        year: null,
        targetJobs: m.target_total ?? 0,
        achievedJobs: achievedLine(m.programme_line) ? num(m.achieved) : null,
        endedJobs: null,
      })),
  ];

  // Budget committed vs paid, per programme component and per convention measure.
  const money = await rows<{
    region: RegionCode;
    programme: string;
    year: number;
    component: string;
    committed: string;
    released: string;
    paid: string;
    clawed: string;
  }>(
    // Each figure from its tally by line (see lines.projection.ts): a few rows per day and line.
    `WITH committed AS (
            ${perLine('committed_by_line', 'sum(centimes) AS n, sum(files) AS files')}),
          keys AS (
            SELECT region, programme, year, component FROM ${at('programme_targets')} t WHERE ${inRegion()}
            UNION SELECT region, programme, year, component FROM committed WHERE files > 0),
          released AS (
            ${perLine('released_by_line', 'sum(centimes) AS n')}),
          paid AS (
            ${perLine('paid_by_line', 'sum(centimes) AS n')}),
          clawed AS (
            ${perLine('clawed_by_line', 'sum(centimes) AS n')})
     SELECT k.region, k.programme, k.year, k.component, coalesce(cm.n, 0)::text AS committed,
            coalesce(r.n, 0)::text AS released, coalesce(p.n, 0)::text AS paid, coalesce(b.n, 0)::text AS clawed
       FROM keys k LEFT JOIN committed cm USING (region, programme, year, component)
            LEFT JOIN released r USING (region, programme, year, component)
            LEFT JOIN paid p USING (region, programme, year, component)
            LEFT JOIN clawed b USING (region, programme, year, component)
      ORDER BY k.region, k.programme, k.year, k.component`,
  );
  const budgetOf = new Map(
    programmeTargets.map((t) => [`${t.region}|${t.programme}|${t.year}|${t.component}`, t.budget_centimes]),
  );
  const budget: BudgetLine[] = [
    ...money.map((m) => {
      const b = budgetOf.get(`${m.region}|${m.programme}|${m.year}|${m.component}`);
      return {
        region: m.region,
        source: 'programme' as const,
        ref: `${m.programme}/${m.year}`,
        line: m.component,
        label: m.component,
        stateCentimes: null,
        regionCentimes: null,
        budgetCentimes: b == null ? null : num(b),
        committedCentimes: num(m.committed) - num(m.released),
        releasedCentimes: num(m.released),
        paidCentimes: num(m.paid),
        clawedBackCentimes: num(m.clawed),
      };
    }),
    ...measures
      .filter((m) => m.state_centimes !== null || m.region_centimes !== null)
      .map((m) => ({
        region: m.region,
        source: 'convention' as const,
        ref: m.convention_id,
        line: m.measure_id,
        label: m.label ?? m.measure_id,
        stateCentimes: num(m.state_centimes),
        regionCentimes: num(m.region_centimes),
        budgetCentimes: num(m.state_centimes) + num(m.region_centimes),
        committedCentimes: 0,
        releasedCentimes: 0,
        paidCentimes: 0,
        clawedBackCentimes: 0,
      })),
  ];

  // Hires from their tally: a few rows per day recorded, the region's as origin or destination.
  const hires = `(SELECT * FROM ${upTo('hires_by_flow')} h WHERE $1::text IS NULL OR origin_region = $1 OR destination_region = $1)`;
  const [placed] = await rows<{ n: string }>(`SELECT coalesce(sum(n), 0)::text AS n FROM ${hires} p`);
  const matrix = await rows<{ origin: RegionCode; destination: RegionCode | 'abroad'; count: string }>(
    `SELECT origin_region AS origin, CASE WHEN abroad THEN 'abroad' ELSE destination_region END AS destination, sum(n)::text AS count
       FROM ${hires} p GROUP BY 1, 2 ORDER BY 1, 2`,
  );

  // Offer processing times, in days, per pipeline step, from each offer's waits as the projection
  // keeps them (offer-waits.ts): its first proposal and first hire come from the placement streams
  // that name it.
  const wait = (list: string, name: 'opened' | 'proposal' | 'hire') =>
    rows<Days<typeof name>>(
      daysOfHistogram(name, `(SELECT days, n FROM ${upTo('offer_waits')} w WHERE list = '${list}' AND ${inRegion()})`),
    );
  const offers = {
    ...(await wait('opened', 'opened'))[0],
    ...(await wait('proposal', 'proposal'))[0],
    ...(await wait('hire', 'hire'))[0],
  } as Days<'opened' | 'proposal' | 'hire'>;
  const [proposalToHire] = await rows<Days<'days'>>(
    daysOfHistogram(
      'days',
      `(SELECT days, n FROM ${upTo('hire_waits')} w WHERE $1::text IS NULL OR origin_region = $1 OR destination_region = $1)`,
    ),
  );

  const sites = await rows<{
    province: string;
    programmed_sites: string;
    programmed_jobs: string;
    launched_sites: string;
    launched_jobs: string;
    completed_sites: string;
    completed_jobs: string;
  }>(
    `SELECT province,
            count(*) FILTER (WHERE outcome = 'approved')::text AS programmed_sites,
            coalesce(sum(jobs) FILTER (WHERE outcome = 'approved'), 0)::text AS programmed_jobs,
            count(*) FILTER (WHERE launched_on IS NOT NULL)::text AS launched_sites,
            coalesce(sum(jobs) FILTER (WHERE launched_on IS NOT NULL), 0)::text AS launched_jobs,
            count(*) FILTER (WHERE completed_on IS NOT NULL)::text AS completed_sites,
            coalesce(sum(jobs) FILTER (WHERE completed_on IS NOT NULL), 0)::text AS completed_jobs
       FROM ${at('works_sites')} x WHERE ${inRegion()} GROUP BY province ORDER BY province`,
  );
  const sum = (k: keyof (typeof sites)[number]) => sites.reduce((n, r) => n + num(r[k]), 0);
  const [enrolled] = await rows<{ n: string }>(
    `SELECT coalesce(sum(n), 0)::text AS n FROM ${upTo('enrolments_by_month')} x WHERE ${inRegion()}`,
  );

  const recorded = await rows<{
    region: RegionCode;
    committee_id: string;
    kind: string;
    decision_number: string;
    date: string;
    subject: string;
    outcome: string;
  }>(
    `SELECT region, committee_id, kind, decision_number, to_char(decided_on, 'YYYY-MM-DD') AS date, subject, outcome
       FROM ${at('recorded_decisions')} x WHERE ${inRegion()} ORDER BY decided_on DESC, committee_id, decision_number`,
  );
  const onFiles = counts(
    await rows<{ key: string; count: string }>(
      `SELECT kind || '/' || outcome AS key, sum(files)::text AS count FROM ${upTo('decided_by_outcome')} x
        WHERE ${inRegion()} GROUP BY 1 HAVING sum(files) <> 0 ORDER BY 1`,
    ),
  );

  const timeline = await rows<{ month: string; hires: string; enrolments: string; paid: string }>(
    `WITH h AS (SELECT month, sum(n) AS n FROM ${hires} x GROUP BY 1),
          e AS (SELECT month, sum(n) AS n FROM ${upTo('enrolments_by_month')} x WHERE ${inRegion()} GROUP BY 1),
          p AS (SELECT month, sum(centimes) AS n FROM ${upTo('paid_by_month')} x WHERE ${inRegion()} GROUP BY 1),
          m AS (SELECT month FROM h UNION SELECT month FROM e UNION SELECT month FROM p)
     SELECT m.month, coalesce(h.n, 0)::text AS hires, coalesce(e.n, 0)::text AS enrolments, coalesce(p.n, 0)::text AS paid
       FROM m LEFT JOIN h USING (month) LEFT JOIN e USING (month) LEFT JOIN p USING (month) ORDER BY m.month`,
  );

  return {
    scope: { region, name: region ? REGIONS[region] : NATIONAL },
    asOf: scope.asOf,
    basis: { kind: scope.kind, events: num(basis?.events), lastRecordedAt: basis?.last ?? null },
    generatedAt: new Date().toISOString(),
    targets,
    budget,
    beneficiaries: await beneficiariesOf(q, s, region, scope.asOf),
    placements: {
      total: num(placed?.n),
      bySector: counts(
        await rows<{ key: string; count: string }>(
          `SELECT sector AS key, sum(n)::text AS count FROM ${hires} p GROUP BY 1 ORDER BY sum(n) DESC, 1`,
        ),
      ),
    },
    flows: {
      byFlow: counts(
        await rows<{ key: string; count: string }>(
          `SELECT flow AS key, sum(n)::text AS count FROM ${hires} p GROUP BY 1 ORDER BY 1`,
        ),
      ),
      matrix: matrix.map((m) => ({ origin: m.origin, destination: m.destination, count: num(m.count) })),
    },
    processingTimes: [
      stepOf('published_to_first_proposal', offers, 'proposal'),
      stepOf('published_to_opened_other_regions', offers, 'opened'),
      stepOf('published_to_first_hire', offers, 'hire'),
      stepOf('proposal_to_hire', proposalToHire, 'days'),
    ],
    worksSites: {
      programmed: { sites: sum('programmed_sites'), jobs: sum('programmed_jobs') },
      launched: { sites: sum('launched_sites'), jobs: sum('launched_jobs') },
      completed: { sites: sum('completed_sites'), jobs: sum('completed_jobs') },
      enrolled: num(enrolled?.n),
      byProvince: sites.map((r) => ({
        province: r.province,
        programmedSites: num(r.programmed_sites),
        programmedJobs: num(r.programmed_jobs),
        launchedSites: num(r.launched_sites),
        launchedJobs: num(r.launched_jobs),
        completedSites: num(r.completed_sites),
      })),
    },
    decisions: {
      recorded: recorded.map((r) => ({
        region: r.region,
        committeeId: r.committee_id,
        kind: r.kind,
        decisionNumber: r.decision_number,
        date: r.date,
        subject: r.subject,
        outcome: r.outcome,
      })),
      onFiles,
    },
    timeline: timeline.map((t) => ({
      month: t.month,
      hires: num(t.hires),
      enrolments: num(t.enrolments),
      paidCentimes: num(t.paid),
    })),
  };
};
