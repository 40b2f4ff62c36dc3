import { REGIONS, type RegionCode } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { assertSchemaName } from '../read-model/layout';
import { beneficiariesOf, LINE_OF_CONTRACT } from './beneficiaries.query';
import type { BudgetLine, CommitteeReport, Count, StepTime, TargetLine } from './report.types';

const NATIONAL = { fr: 'Royaume du Maroc (national)', ar: 'المملكة المغربية (وطني)' } as const;

export interface ReportScope {
  readonly region?: RegionCode;
  readonly asOf: string | null;
  readonly kind: 'live' | 'replay';
}

const num = (v: unknown): number => Number(v ?? 0);
const counts = (rows: readonly { key: string; count: string | number }[]): Count[] =>
  rows.map((r) => ({ key: r.key, count: num(r.count) }));

/** Nearest-rank percentile of sorted whole days. */
const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;

/**
 * The committee report, read from one generation of the read model (live or a scratch "as of"
 * replay). A region narrows every section to that region; without one the report is national.
 */
export const buildReport = async (q: Queryable, schema: string, scope: ReportScope): Promise<CommitteeReport> => {
  const s = assertSchemaName(schema);
  const region = scope.region ?? null;
  const rows = async <R>(sql: string, params: readonly unknown[] = []): Promise<R[]> =>
    (await q.query<R>(sql, [region, ...params])).rows;
  const inRegion = (column = 'region') => `($1::text IS NULL OR ${column} = $1)`;

  const [basis] = (
    await q.query<{ events: string; last: string | null }>(
      `SELECT count(*)::text AS events, to_char(max(recorded_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last FROM ${s}.applied`,
    )
  ).rows;

  // Targets vs achieved. Temporary works achieve by enrolment on a site whose decision drew on the
  // component; grants by approval, until an early end (then they count as ended, apart). Convention
  // measures by hires under the matching contract type.
  const grantJobs = (ended: boolean) => `(SELECT coalesce(sum(c.jobs), 0) FROM ${s}.commitments c
               WHERE c.kind = 'grant' AND c.region = t.region AND c.programme = t.programme AND c.year = t.year AND c.component = t.component
                 AND ${ended ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${s}.grant_ends e WHERE e.grant_id = c.file_id))`;
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
    `SELECT t.region, t.programme, t.year, t.component, t.target_jobs, t.budget_centimes::text AS budget_centimes,
            ((SELECT count(*) FROM ${s}.enrolments n JOIN ${s}.files f ON f.kind = 'works-project' AND f.file_id = n.project_id
               WHERE f.region = t.region AND f.programme = t.programme AND f.year = t.year AND f.component = t.component)
           + ${grantJobs(false)})::text AS achieved, ${grantJobs(true)}::text AS ended
       FROM ${s}.programme_targets t WHERE ${inRegion('t.region')} ORDER BY t.region, t.programme, t.year, t.component`,
  );
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
    `SELECT c.region, m.convention_id, m.measure_id, m.programme_line, m.label, m.target_total,
            m.state_centimes::text AS state_centimes, m.region_centimes::text AS region_centimes,
            (SELECT count(*) FROM ${s}.placements p
              WHERE p.destination_region = c.region AND p.hired_on BETWEEN c.period_start AND c.period_end
                AND p.contract_type = ANY($2::text[]))::text AS achieved
       FROM ${s}.convention_measures m JOIN ${s}.conventions c USING (convention_id)
      WHERE ${inRegion('c.region')} ORDER BY c.region, m.convention_id, m.measure_id`,
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
    `WITH keys AS (
       SELECT region, programme, year, component FROM ${s}.programme_targets WHERE ${inRegion()}
       UNION SELECT region, programme, year, component FROM ${s}.commitments WHERE ${inRegion()})
     SELECT k.region, k.programme, k.year, k.component,
            (SELECT coalesce(sum(c.centimes), 0) FROM ${s}.commitments c
              WHERE (c.region, c.programme, c.year, c.component) = (k.region, k.programme, k.year, k.component))::text AS committed,
            (SELECT coalesce(sum(e.cancelled_centimes), 0) FROM ${s}.grant_ends e JOIN ${s}.commitments c ON c.kind = 'grant' AND c.file_id = e.grant_id
              WHERE (c.region, c.programme, c.year, c.component) = (k.region, k.programme, k.year, k.component))::text AS released,
            (SELECT coalesce(sum(p.centimes), 0) FROM ${s}.payments p JOIN ${s}.files f ON (f.kind, f.file_id) = (p.kind, p.file_id)
              WHERE (f.region, f.programme, f.year, f.component) = (k.region, k.programme, k.year, k.component))::text AS paid,
            (SELECT coalesce(sum(b.centimes), 0) FROM ${s}.clawbacks b JOIN ${s}.files f ON (f.kind, f.file_id) = (b.kind, b.file_id)
              WHERE (f.region, f.programme, f.year, f.component) = (k.region, k.programme, k.year, k.component))::text AS clawed
       FROM keys k ORDER BY k.region, k.programme, k.year, k.component`,
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

  const placements = `(SELECT * FROM ${s}.placements WHERE $1::text IS NULL OR origin_region = $1 OR destination_region = $1)`;
  const [placed] = await rows<{ n: string }>(`SELECT count(*)::text AS n FROM ${placements} p`);
  const matrix = await rows<{ origin: RegionCode; destination: RegionCode | 'abroad'; count: string }>(
    `SELECT origin_region AS origin, CASE WHEN abroad THEN 'abroad' ELSE destination_region END AS destination, count(*)::text AS count
       FROM ${placements} p GROUP BY 1, 2 ORDER BY 1, 2`,
  );

  // Offer processing times, in days, per pipeline step.
  const offers = await rows<{ opened: number | null; proposal: number | null; hire: number | null }>(
    `SELECT opened_on - published_on AS opened, first_proposal_on - published_on AS proposal, first_hire_on - published_on AS hire
       FROM ${s}.offers WHERE published_on IS NOT NULL AND ${inRegion()}`,
  );
  const proposalToHire = await rows<{ days: number }>(
    `SELECT p.hired_on - r.proposed_on AS days FROM ${s}.placements p JOIN ${s}.proposals r USING (placement_id)
      WHERE $1::text IS NULL OR p.destination_region = $1 OR p.origin_region = $1`,
  );
  const step = (name: string, values: readonly (number | null)[]): StepTime => {
    const sorted = values
      .filter((v): v is number => v !== null)
      .map(Number)
      .sort((a, b) => a - b);
    return { step: name, count: sorted.length, medianDays: percentile(sorted, 50), p90Days: percentile(sorted, 90) };
  };

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
       FROM ${s}.works_sites WHERE ${inRegion()} GROUP BY province ORDER BY province`,
  );
  const sum = (k: keyof (typeof sites)[number]) => sites.reduce((n, r) => n + num(r[k]), 0);
  const [enrolled] = await rows<{ n: string }>(`SELECT count(*)::text AS n FROM ${s}.enrolments WHERE ${inRegion()}`);

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
       FROM ${s}.recorded_decisions WHERE ${inRegion()} ORDER BY decided_on DESC, committee_id, decision_number`,
  );
  const onFiles = counts(
    await rows<{ key: string; count: string }>(
      `SELECT kind || '/' || outcome AS key, count(*)::text AS count FROM ${s}.file_decisions WHERE ${inRegion()} GROUP BY 1 ORDER BY 1`,
    ),
  );

  const timeline = await rows<{ month: string; hires: string; enrolments: string; paid: string }>(
    `WITH h AS (SELECT to_char(hired_on, 'YYYY-MM') AS month, count(*) AS n FROM ${s}.placements
                 WHERE $1::text IS NULL OR destination_region = $1 OR origin_region = $1 GROUP BY 1),
          e AS (SELECT to_char(enrolled_on, 'YYYY-MM') AS month, count(*) AS n FROM ${s}.enrolments WHERE ${inRegion()} GROUP BY 1),
          p AS (SELECT month, sum(centimes) AS n FROM ${s}.payments WHERE ${inRegion()} GROUP BY 1),
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
    beneficiaries: await beneficiariesOf(q, s, region),
    placements: {
      total: num(placed?.n),
      bySector: counts(
        await rows<{ key: string; count: string }>(
          `SELECT sector AS key, count(*)::text AS count FROM ${placements} p GROUP BY 1 ORDER BY 2 DESC, 1`,
        ),
      ),
    },
    flows: {
      byFlow: counts(
        await rows<{ key: string; count: string }>(
          `SELECT flow AS key, count(*)::text AS count FROM ${placements} p GROUP BY 1 ORDER BY 1`,
        ),
      ),
      matrix: matrix.map((m) => ({ origin: m.origin, destination: m.destination, count: num(m.count) })),
    },
    processingTimes: [
      step(
        'published_to_first_proposal',
        offers.map((o) => o.proposal),
      ),
      step(
        'published_to_opened_other_regions',
        offers.map((o) => o.opened),
      ),
      step(
        'published_to_first_hire',
        offers.map((o) => o.hire),
      ),
      step(
        'proposal_to_hire',
        proposalToHire.map((r) => r.days),
      ),
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
