import type {
  CommitteeDecisionRecordedV1,
  ConventionAmendedV1,
  ConventionClosedV1,
  ConventionDraftedV1,
  ConventionSignedV1,
  OfferPublishedV1,
  ProgrammeTargetsSetV1,
  SeekerHiredV1,
} from '@tashghil/contracts';
import type {
  grantAppliedV1,
  grantClawbackClaimedV1,
  grantContractEndedV1,
  grantDecidedV1,
  grantPaymentRecordedV1,
  measureSchema,
  offerOpenedToOtherRegionsV1,
  placementProposedV1,
  worksBeneficiaryEnrolledV1,
  worksPayrollRecordedV1,
  worksProjectDecidedV1,
  worksProjectProposedV1,
  worksCommitmentRevisedV1,
  worksSiteCompletedV1,
  worksSiteLaunchedV1,
} from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import type { z } from 'zod';
import { assertSchemaName } from './layout';

/** What the projection needs of an event beside its parsed data; an envelope and a stored event both have it. */
export interface ProjectedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly globalPosition: number;
  readonly recordedAt: string;
}

type Handler = (q: Queryable, s: string, data: never, e: ProjectedEvent) => Promise<void>;
type Data<S extends z.ZodType> = z.infer<S>;

const conventionRow = async (
  q: Queryable,
  s: string,
  d: { conventionId: string; measures: Data<typeof measureSchema>[] },
): Promise<void> => {
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

/** A file's decision: the latest one by date (then number), whatever order the events came in. */
const fileDecision = (
  q: Queryable,
  s: string,
  kind: string,
  fileId: string,
  region: string,
  d: { outcome: string; decisionNumber: string; date: string },
) =>
  q.query(
    `INSERT INTO ${s}.file_decisions (kind, file_id, region, outcome, decision_number, decided_on) VALUES ($1, $2, $3, $4, $5, $6::date)
     ON CONFLICT (kind, file_id) DO UPDATE SET outcome = EXCLUDED.outcome, decision_number = EXCLUDED.decision_number, decided_on = EXCLUDED.decided_on
      WHERE (EXCLUDED.decided_on, EXCLUDED.decision_number) > (${s}.file_decisions.decided_on, ${s}.file_decisions.decision_number)`,
    [kind, fileId, region, d.outcome, d.decisionNumber, d.date],
  );

const commitment = async (
  q: Queryable,
  s: string,
  kind: string,
  fileId: string,
  region: string,
  d: {
    outcome: string;
    date: string;
    envelope?: { programme: string; year: number; component: string; jobs: number; centimes: number } | undefined;
  },
): Promise<void> => {
  if (d.outcome !== 'approved' || !d.envelope) return;
  const { programme, year, component, jobs, centimes } = d.envelope;
  await q.query(
    `INSERT INTO ${s}.commitments (kind, file_id, region, programme, year, component, jobs, centimes, decided_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date) ON CONFLICT (kind, file_id) DO NOTHING`,
    [kind, fileId, region, programme, year, component, jobs, centimes, d.date],
  );
  await q.query(
    `INSERT INTO ${s}.files (kind, file_id, region, programme, year, component) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (kind, file_id) DO UPDATE SET programme = EXCLUDED.programme, year = EXCLUDED.year, component = EXCLUDED.component`,
    [kind, fileId, region, programme, year, component],
  );
};

/**
 * One fact naming a person, keyed by its own stream's ids so that the row never depends on which
 * stream was read first; the report merges a person's facts. The statement takes its thirteen
 * parameters from `$n` on, so it can close a longer statement.
 */
const beneficiarySql = (s: string, n: number): string => {
  const p = (i: number) => `$${n + i}`;
  return `INSERT INTO ${s}.beneficiaries (source, ref, region, person_key, placement_id, province, gender, age_band, disability, has_diploma, area, long_term, first_on)
     VALUES (${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}::date)
     ON CONFLICT (source, ref) DO NOTHING`;
};

type Categories = {
  gender: string;
  ageBand: string;
  disability: boolean;
  hasDiploma: boolean;
  area: string;
  longTermUnemployed: boolean;
};

/**
 * Whoever has a seeker file is that seeker in every source (a hire, a grant file, a works enrolment
 * that names it), so a person met twice counts once; a works beneficiary without one is their own.
 */
const personKey = (seekerId: string | undefined, otherwise: string): string =>
  seekerId ? `seeker:${seekerId}` : otherwise;

const beneficiaryParams = (f: {
  source: 'works' | 'hire' | 'grant';
  ref: string;
  region: string;
  personKey: string;
  on: string;
  placementId?: string | undefined;
  province?: string | undefined;
  categories?: Categories | undefined;
}): unknown[] => {
  const c = f.categories;
  return [
    f.source,
    f.ref,
    f.region,
    f.personKey,
    f.placementId ?? null,
    f.province ?? null,
    c?.gender ?? null,
    c?.ageBand ?? null,
    c?.disability ?? null,
    c?.hasDiploma ?? null,
    c?.area ?? null,
    c?.longTermUnemployed ?? null,
    f.on,
  ];
};

/** An offer's milestones come from its own stream and from placement streams; each keeps its earliest date. */
const milestoneSql = (
  s: string,
  column: 'first_proposal_on' | 'first_hire_on' | 'opened_on',
  offer: string,
  on: string,
): string =>
  `INSERT INTO ${s}.offers (offer_id, ${column}) VALUES (${offer}, ${on}::date)
     ON CONFLICT (offer_id) DO UPDATE SET ${column} = LEAST(${s}.offers.${column}, EXCLUDED.${column})`;

const HANDLERS: Record<string, Handler> = {
  ConventionDrafted: async (q, s, d: ConventionDraftedV1) => {
    await q.query(
      `INSERT INTO ${s}.conventions (convention_id, region, title, period_start, period_end, status, drafted_at, drafted_by)
       VALUES ($1, $2, $3, $4::date, $5::date, 'drafted', $6::timestamptz, $7) ON CONFLICT (convention_id) DO NOTHING`,
      [d.conventionId, d.region, d.title, d.period.start, d.period.end, d.draftedAt, d.draftedBy],
    );
  },
  ConventionSigned: async (q, s, d: ConventionSignedV1) => {
    await q.query(
      `UPDATE ${s}.conventions SET status = 'signed', signed_on = $2::date, title = $3, period_start = $4::date, period_end = $5::date WHERE convention_id = $1`,
      [d.conventionId, d.signedOn, d.title, d.period.start, d.period.end],
    );
    await conventionRow(q, s, d);
  },
  ConventionAmended: async (q, s, d: ConventionAmendedV1) => {
    await q.query(
      `UPDATE ${s}.conventions SET period_start = $2::date, period_end = $3::date WHERE convention_id = $1`,
      [d.conventionId, d.period.start, d.period.end],
    );
    await conventionRow(q, s, d);
  },
  ConventionClosed: async (q, s, d: ConventionClosedV1) => {
    await q.query(`UPDATE ${s}.conventions SET status = $2 WHERE convention_id = $1`, [
      d.conventionId,
      d.early ? 'terminated' : 'closed',
    ]);
  },
  ProgrammeTargetsSet: async (q, s, d: ProgrammeTargetsSetV1) => {
    // Each set is a full revision; only a higher revision than the one held replaces it.
    const { rows } = await q.query(
      `INSERT INTO ${s}.programme_revisions (region, programme, year, revision) VALUES ($1, $2, $3, $4)
       ON CONFLICT (region, programme, year) DO UPDATE SET revision = EXCLUDED.revision WHERE ${s}.programme_revisions.revision < EXCLUDED.revision
       RETURNING revision`,
      [d.region, d.programme, d.year, d.revision],
    );
    if (rows.length === 0) return;
    await q.query(`DELETE FROM ${s}.programme_targets WHERE region = $1 AND programme = $2 AND year = $3`, [
      d.region,
      d.programme,
      d.year,
    ]);
    for (const c of d.components) {
      await q.query(
        `INSERT INTO ${s}.programme_targets (region, programme, year, component, target_jobs, budget_centimes) VALUES ($1, $2, $3, $4, $5, $6)`,
        [d.region, d.programme, d.year, c.component, c.targetJobs, c.budgetCentimes ?? null],
      );
    }
  },
  CommitteeDecisionRecorded: async (q, s, d: CommitteeDecisionRecordedV1) => {
    await q.query(
      `INSERT INTO ${s}.recorded_decisions (committee_id, decision_number, region, kind, programme, decided_on, subject, outcome)
       VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8) ON CONFLICT (committee_id, decision_number) DO NOTHING`,
      [d.committeeId, d.decisionNumber, d.region, d.kind, d.programme, d.date, d.subject, d.outcome],
    );
  },
  OfferPublished: async (q, s, d: OfferPublishedV1) => {
    await q.query(
      `INSERT INTO ${s}.offers (offer_id, region, positions, mass, published_on) VALUES ($1, $2, $3, $4, $5::date)
       ON CONFLICT (offer_id) DO UPDATE SET region = EXCLUDED.region, positions = EXCLUDED.positions, mass = EXCLUDED.mass,
         published_on = LEAST(${s}.offers.published_on, EXCLUDED.published_on)`,
      [d.offerId, d.region, d.positions, d.mass, d.on],
    );
  },
  OfferOpenedToOtherRegions: async (q, s, d: Data<typeof offerOpenedToOtherRegionsV1>) => {
    await q.query(milestoneSql(s, 'opened_on', '$1', '$2'), [d.offerId, d.on]);
  },
  PlacementProposed: async (q, s, d: Data<typeof placementProposedV1>) => {
    await q.query(
      `WITH proposal AS (INSERT INTO ${s}.proposals (placement_id, offer_id, proposed_on) VALUES ($1, $2, $3::date) ON CONFLICT (placement_id) DO NOTHING)
       ${milestoneSql(s, 'first_proposal_on', '$2', '$3')}`,
      [d.placementId, d.offerId, d.on],
    );
  },
  SeekerHired: async (q, s, d: SeekerHiredV1) => {
    const abroad = d.flow === 'abroad';
    // A beneficiary counts where the job is; one placed abroad counts for the region that sent them.
    const { region, province } = abroad ? d.origin : d.destination;
    await q.query(
      `WITH placement AS (
         INSERT INTO ${s}.placements (placement_id, hired_on, offer_id, sector, contract_type, origin_region, destination_region, abroad, flow)
         VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (placement_id) DO NOTHING),
       offer AS (${milestoneSql(s, 'first_hire_on', '$3', '$2')})
       ${beneficiarySql(s, 10)}`,
      [
        d.placementId,
        d.on,
        d.offerId,
        d.employer.sector,
        d.contractType,
        d.origin.region,
        d.destination.region,
        abroad,
        d.flow,
        ...beneficiaryParams({
          source: 'hire',
          ref: d.placementId,
          region,
          personKey: `seeker:${d.seekerId}`,
          province,
          on: d.on,
          categories: d.categories,
        }),
      ],
    );
  },
  WorksProjectProposed: async (q, s, d: Data<typeof worksProjectProposedV1>) => {
    await q.query(
      `INSERT INTO ${s}.works_sites (project_id, region, province, kind, jobs, budget_centimes, proposed_on) VALUES ($1, $2, $3, $4, $5, $6, $7::date)
       ON CONFLICT (project_id) DO NOTHING`,
      [d.projectId, d.region, d.province, d.kind, d.jobs, d.budgetCentimes, d.proposedOn],
    );
    await q.query(
      `INSERT INTO ${s}.files (kind, file_id, region, province) VALUES ('works-project', $1, $2, $3)
       ON CONFLICT (kind, file_id) DO UPDATE SET province = EXCLUDED.province`,
      [d.projectId, d.region, d.province],
    );
  },
  WorksProjectDecided: async (q, s, d: Data<typeof worksProjectDecidedV1>) => {
    await q.query(`UPDATE ${s}.works_sites SET outcome = $2, decided_on = $3::date WHERE project_id = $1`, [
      d.projectId,
      d.outcome,
      d.date,
    ]);
    await fileDecision(q, s, 'works-project', d.projectId, d.region, d);
    await commitment(q, s, 'works-project', d.projectId, d.region, d);
  },
  WorksCommitmentRevised: async (q, s, d: Data<typeof worksCommitmentRevisedV1>) => {
    // A stream's events arrive in order, after its approval; the revision guard keeps a replayed one from going back.
    await q.query(
      `UPDATE ${s}.commitments SET centimes = $3, jobs = $4, revision = $5 WHERE kind = 'works-project' AND file_id = $1 AND region = $2 AND revision < $5`,
      [d.projectId, d.region, d.envelope.centimes, d.envelope.jobs, d.revision],
    );
  },
  WorksSiteLaunched: async (q, s, d: Data<typeof worksSiteLaunchedV1>) => {
    await q.query(`UPDATE ${s}.works_sites SET launched_on = $2::date WHERE project_id = $1`, [d.projectId, d.on]);
  },
  WorksSiteCompleted: async (q, s, d: Data<typeof worksSiteCompletedV1>) => {
    await q.query(`UPDATE ${s}.works_sites SET completed_on = $2::date WHERE project_id = $1`, [d.projectId, d.on]);
  },
  WorksBeneficiaryEnrolled: async (q, s, d: Data<typeof worksBeneficiaryEnrolledV1>) => {
    await q.query(
      `WITH enrolment AS (
         INSERT INTO ${s}.enrolments (project_id, beneficiary_id, region, enrolled_on) VALUES ($1, $2, $3, $4::date) ON CONFLICT DO NOTHING)
       ${beneficiarySql(s, 5)}`,
      [
        d.projectId,
        d.beneficiaryId,
        d.region,
        d.on,
        ...beneficiaryParams({
          source: 'works',
          ref: `${d.projectId}/${d.beneficiaryId}`,
          region: d.region,
          personKey: personKey(d.seekerId, `works:${d.beneficiaryId}`),
          province: d.province,
          on: d.on,
          categories: d.categories,
        }),
      ],
    );
  },
  WorksPayrollRecorded: async (q, s, d: Data<typeof worksPayrollRecordedV1>, e) => {
    // What the programme pays for a month of a site: the gross wages and the employer's contributions.
    await q.query(
      `INSERT INTO ${s}.payments (event_id, kind, file_id, region, month, centimes) VALUES ($1, 'works-project', $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [e.eventId, d.projectId, d.region, d.month, d.totals.grossCentimes + d.totals.employerCentimes],
    );
  },
  GrantApplied: async (q, s, d: Data<typeof grantAppliedV1>) => {
    await q.query(
      `INSERT INTO ${s}.files (kind, file_id, region, programme) VALUES ('grant', $1, $2, $3)
       ON CONFLICT (kind, file_id) DO UPDATE SET programme = COALESCE(${s}.files.programme, EXCLUDED.programme)`,
      [d.grantId, d.region, d.programme],
    );
    // An older file names only the placement; the report takes the person's categories from its hire.
    await q.query(
      beneficiarySql(s, 1),
      beneficiaryParams({
        source: 'grant',
        ref: d.grantId,
        region: d.region,
        personKey: `seeker:${d.hire.seekerId}`,
        on: d.hire.startDate,
        placementId: d.hire.source === 'matching' ? d.hire.placementId : undefined,
        province: d.beneficiary?.province,
        categories: d.beneficiary?.categories,
      }),
    );
  },
  GrantDecided: async (q, s, d: Data<typeof grantDecidedV1>) => {
    await fileDecision(q, s, 'grant', d.grantId, d.region, d);
    await commitment(q, s, 'grant', d.grantId, d.region, d);
  },
  GrantPaymentRecorded: async (q, s, d: Data<typeof grantPaymentRecordedV1>, e) => {
    await q.query(
      `INSERT INTO ${s}.payments (event_id, kind, file_id, region, month, centimes) VALUES ($1, 'grant', $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [e.eventId, d.grantId, d.region, d.month, d.amountCentimes],
    );
  },
  GrantContractEnded: async (q, s, d: Data<typeof grantContractEndedV1>, e) => {
    await q.query(
      `INSERT INTO ${s}.grant_ends (event_id, grant_id, region, last_day, cancelled_centimes) VALUES ($1, $2, $3, $4::date, $5) ON CONFLICT DO NOTHING`,
      [e.eventId, d.grantId, d.region, d.lastDay, d.cancelledCentimes],
    );
  },
  GrantClawbackClaimed: async (q, s, d: Data<typeof grantClawbackClaimedV1>, e) => {
    await q.query(
      `INSERT INTO ${s}.clawbacks (event_id, kind, file_id, region, centimes, claimed_on) VALUES ($1, 'grant', $2, $3, $4, $5::date) ON CONFLICT DO NOTHING`,
      [e.eventId, d.grantId, d.region, d.amountCentimes, d.on],
    );
  },
};

/** The integration events the read model is made of. */
export const PROJECTED_TYPES: readonly string[] = Object.keys(HANDLERS);

/**
 * Applies one event to the generation in `schema`, once: an event already taken in changes nothing.
 * The live consumer calls this in its own transaction. Returns false for a duplicate.
 */
export const project = async (q: Queryable, schema: string, event: ProjectedEvent, data: unknown): Promise<boolean> =>
  (await projectAll(q, schema, [{ event, data }])) === 1;

/**
 * Applies a page of events in order, each once: one statement marks the whole page taken in, then
 * each new event's handler runs. Rebuilds and replays use this; returns how many were new.
 */
export const projectAll = async (
  q: Queryable,
  schema: string,
  items: readonly { event: ProjectedEvent; data: unknown }[],
): Promise<number> => {
  const s = assertSchemaName(schema);
  const wanted = items.filter((i) => HANDLERS[i.event.type]);
  if (wanted.length === 0) return 0;
  const { rows } = await q.query<{ event_id: string }>(
    `INSERT INTO ${s}.applied (event_id, global_position, recorded_at)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[]) ON CONFLICT (event_id) DO NOTHING RETURNING event_id::text`,
    [
      wanted.map((i) => i.event.eventId),
      wanted.map((i) => i.event.globalPosition),
      wanted.map((i) => i.event.recordedAt),
    ],
  );
  const fresh = new Set(rows.map((r) => r.event_id));
  for (const { event, data } of wanted) {
    const handler = HANDLERS[event.type];
    if (handler && fresh.has(event.eventId.toLowerCase())) await handler(q, s, data as never, event);
  }
  return fresh.size;
};
