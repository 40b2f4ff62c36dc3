import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  beneficiaryCategoriesSchema,
  isoDate,
  isoMonth,
  regionCode as region,
  REGIONS,
  slug,
  trimmedText as text,
} from '@tashghil/contracts';
import {
  EVENT_STORE,
  EventStore,
  handleWorkflow,
  loadAggregate,
  NotFoundError,
  type Workflow,
  type Issued,
} from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  commandMetadata,
  etag,
  expectedVersionFrom,
  identityOf,
  pageQuery,
  parseInput,
  runCommand,
  today,
  type AuthedRequest,
  type Role,
  equalities,
  PAGE_PARAMS,
  readableBy,
  readPage,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { approveOrWaitlist } from '../envelope/over-envelope';
import { loadParameterTable } from '../parameter/parameter-table';
import { SUBSIDIES_SETTINGS, type SubsidiesSettings } from '../settings';
import {
  worksProjectDecider,
  worksProjectStreamId,
  type ActiveWorksProject,
  type DecideWorksProject,
  type LaunchWorksSite,
  type RecordPayroll,
  type WorksProject,
  type WorksProjectCommand,
} from './works-project.decider';
import {
  decideWorksProject,
  recommitting,
  waitlisting,
  type WorksProjectGuard,
} from './works-project-envelope.workflow';
import { worksProjectQueryModel, type WorksProjectListed } from './works-project.query-model';

// Whole numbers only here: the decider refuses a zero job count, a month count the dates contradict or
// a wage below the SMIG, naming each field, one rule in one place.
const proposeBody = z.object({
  projectId: slug.describe('the file’s id, e.g. gon-pistes-2022'),
  region,
  province: text(100).describe('e.g. Sidi Ifni, Tan-Tan, Assa-Zag, Guelmim'),
  promoter: z.object({
    kind: z
      .enum(['association', 'cooperative', 'company', 'public_body', 'other'])
      .describe('only an association or a cooperative is eligible; any other is recorded as ineligible'),
    id: text(64),
    name: text(200),
  }),
  kind: z.enum(['small', 'large']),
  title: text(300),
  jobs: z.number().int().describe('temporary jobs on the site, at least 1'),
  months: z.number().int().describe('duration in months, as start and end bear out (the stray days counted or not)'),
  start: isoDate,
  end: isoDate.describe('the last day worked, after start'),
  monthlyWageCentimes: z
    .number()
    .int()
    .describe('integer centimes (1 MAD = 100); at least the monthly SMIG to be eligible'),
  proposedOn: isoDate.optional().describe('today when absent; the day the rules are applied on'),
});
const decisionBody = z.object({
  outcome: z.enum(['approved', 'rejected', 'waitlisted']),
  decisionNumber: text(64),
  date: isoDate,
  committeeId: text(64).optional(),
  reason: z.string().max(1000).optional().describe('required for a rejection or a waitlisting'),
});
const dayBody = z.object({ on: isoDate });
const enrolBody = z.object({
  beneficiaryId: slug.describe('a pseudonymous id, unique on the site'),
  source: z.enum(['matching', 'direct']),
  seekerId: slug.optional().describe('required from matching: the seeker file'),
  identity: z
    .object({
      fullName: text(200),
      cin: z.string().regex(/^[A-Z]{1,2}\d{1,6}$/, 'a CIN is one or two capital letters and up to six digits'),
    })
    .optional()
    .describe('required for a direct registration; sealed under the beneficiary’s own key, never published in clear'),
  on: isoDate.describe('the first day on the site'),
  monthlyWageCentimes: z.number().int().optional().describe('integer centimes; the project’s wage when absent'),
  categories: beneficiaryCategoriesSchema.describe('for the committee’s report on beneficiaries'),
});
const payrollBody = z.object({
  month: isoMonth,
  lines: z
    .array(
      z.object({
        beneficiaryId: text(64),
        days: z.number().int().describe('days worked, 0 to 26'),
      }),
    )
    .max(1000),
});
const idParams = z.object({ id: slug });
const listQuery = pageQuery.extend({
  region: region.optional(),
  status: z.enum(['proposed', 'approved', 'rejected', 'waitlisted', 'launched', 'completed']).optional(),
  province: text(100).optional(),
  kind: z.enum(['small', 'large']).optional(),
});
const trackingQuery = z.object({
  region,
  year: z.coerce.number().int('must be a year such as 2022').min(2000).max(2100),
});

const DECIDERS: readonly Role[] = ['committee', 'admin'];
const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);

const existing = (s: WorksProject, id: string): ActiveWorksProject => {
  if (s.status === 'none') throw new NotFoundError('PROJECT_NOT_FOUND', `there is no works project ${id}`);
  return s;
};

/** What an officer sees: the whole file, eligibility included; beneficiaries by id and categories, never by name. */
const view = (s: ActiveWorksProject, version: number) => {
  const { beneficiaries, payroll, ...project } = s;
  return {
    ...project,
    regionName: REGIONS[s.region],
    beneficiaries: beneficiaries.map(({ projectId: _p, region: _r, province: _v, ...b }) => b),
    payroll: payroll.map(({ projectId: _p, region: _r, ...month }) => month),
    totals: {
      enrolled: beneficiaries.length,
      placesLeft: s.jobs - beneficiaries.length,
      paidGrossCentimes: sum(payroll.map((m) => m.totals.grossCentimes)),
      employerContributionsCentimes: sum(payroll.map((m) => m.totals.employerCentimes)),
    },
    version,
  };
};

/** One province's line of the tracking, or the total (no province), as the grouped read answers it. */
type Counted = 'sites' | 'jobs';
type TrackedRow = { readonly province: string | null } & {
  readonly [K in `${'programmed' | 'launched' | 'completed'}_${Counted}`]: number | string;
};
const tallyOf = (r: Omit<TrackedRow, 'province'>) => ({
  programmed: { sites: Number(r.programmed_sites), jobs: Number(r.programmed_jobs) },
  launched: { sites: Number(r.launched_sites), jobs: Number(r.launched_jobs) },
  completed: { sites: Number(r.completed_sites), jobs: Number(r.completed_jobs) },
});

const NONE: Omit<TrackedRow, 'province'> = {
  programmed_sites: 0,
  programmed_jobs: 0,
  launched_sites: 0,
  launched_jobs: 0,
  completed_sites: 0,
  completed_jobs: 0,
};

@ApiTags('works projects')
@Controller('works-projects')
export class WorksProjectController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SUBSIDIES_SETTINGS) private readonly settings: SubsidiesSettings,
  ) {}

  private async execute(req: AuthedRequest, res: Response, id: string, command: Issued<WorksProjectCommand>) {
    const result = await runCommand(
      { req, res },
      this.store,
      worksProjectDecider,
      worksProjectStreamId(id),
      command,
      (s, who) => {
        if (s.status !== 'none') assertRegionAccess(who, s.region, 'write');
        else if (command.type === 'ProposeWorksProject') assertRegionAccess(who, command.data.region, 'write');
        else throw new NotFoundError('PROJECT_NOT_FOUND', `there is no works project ${id}`);
      },
    );
    return { result, view: view(existing(result.state, id), result.version) };
  }

  /** If-Match as the site's expected version, and the caller checked against the site as it stands. */
  private guard(req: AuthedRequest, id: string, roles?: readonly Role[]): WorksProjectGuard {
    const who = identityOf(req);
    const expectedVersion = expectedVersionFrom(req);
    return {
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      authorize: (s) => assertRegionAccess(who, existing(s, id).region, 'write', roles),
    };
  }

  /** Runs a site's workflow and answers the site as it left it, with its version as the ETag. */
  private async run(res: Response, id: string, workflow: Workflow) {
    const result = await handleWorkflow(this.store, workflow);
    const { state, version } = await result.stream(worksProjectDecider, worksProjectStreamId(id));
    res.setHeader('ETag', etag(version));
    return view(existing(state, id), version);
  }

  @Post()
  @ApiCommand(
    'Propose a temporary-works site; its eligibility is decided rule by rule and kept, and an ineligible project is recorded all the same',
    proposeBody,
  )
  async propose(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { proposedOn, ...data } = parseInput(proposeBody, body);
    const table = await loadParameterTable(this.store);
    const { result, view } = await this.execute(req, res, data.projectId, {
      type: 'ProposeWorksProject',
      data: { ...data, proposedOn: proposedOn ?? today(), table },
    });
    if (result.events.length) {
      res.status(201);
      res.setHeader('Location', `/works-projects/${data.projectId}`);
    }
    return view;
  }

  @Get()
  @ApiQuery({
    ...PAGE_PARAMS,
    region: 'a region code such as MA-10',
    status: 'proposed, approved, rejected, waitlisted, launched or completed',
    province: 'e.g. Tan-Tan',
    kind: 'small or large',
  })
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const who = identityOf(req);
    const { region: wanted, status, province, kind, ...page } = parseInput(listQuery, q, 'query');
    if (wanted) assertRegionAccess(who, wanted, 'read');
    // Sites are listed to the region's officers and committees; a promoter reads its own by id.
    const scope = readableBy(who);
    const { rows, next } = await readPage<WorksProjectListed>(this.store.db, {
      list: 'works-projects',
      table: worksProjectQueryModel.table,
      where: [...(scope ? [scope] : []), ...equalities({ region: wanted, status, province, kind })],
      page,
      url: req.originalUrl,
      res,
    });
    return { projects: rows.map((row) => ({ ...row.view, version: Number(row.version) })), next };
  }

  /**
   * Sites programmed (approved in the year), launched and completed, per province and in all: the
   * committee's "programmed vs launched" line. Each count includes the next, so a completed site was
   * also launched and programmed. One grouped read of the region's sites approved that year.
   */
  @Get('tracking')
  @ApiQuery({
    region: 'a region code such as MA-10 (required)',
    year: 'the year of the approvals, e.g. 2022 (required)',
  })
  async tracking(@Query() q: unknown, @Req() req: AuthedRequest) {
    const { region: r, year } = parseInput(trackingQuery, q, 'query');
    assertRegionAccess(identityOf(req), r, 'read');
    const { rows } = await this.store.db.query<TrackedRow>(
      `SELECT province,
              count(*)::int AS programmed_sites, coalesce(sum(jobs), 0)::bigint AS programmed_jobs,
              count(*) FILTER (WHERE launched)::int AS launched_sites,
              coalesce(sum(jobs) FILTER (WHERE launched), 0)::bigint AS launched_jobs,
              count(*) FILTER (WHERE status = 'completed')::int AS completed_sites,
              coalesce(sum(jobs) FILTER (WHERE status = 'completed'), 0)::bigint AS completed_jobs
         FROM ${worksProjectQueryModel.table}
        WHERE region = $1 AND approved_year = $2
        GROUP BY GROUPING SETS ((province), ())`,
      [r, year],
    );
    const byProvince = rows
      .flatMap(({ province, ...counts }) => (province === null ? [] : [{ province, ...tallyOf(counts) }]))
      .sort((a, b) => a.province.localeCompare(b.province));
    const all = rows.find((row) => row.province === null);
    // The empty grouping set answers a row even when no site was approved that year.
    const total = tallyOf(all ?? NONE);
    return { region: r, regionName: REGIONS[r], year, provinces: byProvince, total };
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParams, p, 'path');
    const { state, version } = await loadAggregate(this.store, worksProjectDecider, worksProjectStreamId(id));
    const s = existing(state, id);
    // The promoting association or cooperative reads its own site; another one gets 403.
    assertRegionAccess(identityOf(req), s.region, 'read', undefined, s.promoter.id);
    res.setHeader('ETag', etag(version));
    return view(s, version);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiCommand(
    'Record the committee’s decision; an approval takes its jobs and budget from the region’s temporary-works envelope, or is refused (409 ENVELOPE_EXCEEDED) or waitlisted when the envelope is full',
    decisionBody,
    { ifMatch: true },
  )
  async decide(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const data = parseInput(decisionBody, body);
    const command: DecideWorksProject = { type: 'DecideWorksProject', data, metadata: commandMetadata(req) };
    const decided = (c: DecideWorksProject) =>
      this.run(res, id, decideWorksProject(id, c, this.guard(req, id, DECIDERS)));
    return approveOrWaitlist(
      this.settings.overEnvelope,
      () => decided(command),
      (refusal) => decided(waitlisting(command, refusal)),
    );
  }

  @Post(':id/launch')
  @HttpCode(200)
  @ApiCommand(
    'Record that an approved site started work; its commitment is re-priced when the start moves its months across a SMIG change',
    dayBody,
    { ifMatch: true },
  )
  async launch(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const data = parseInput(dayBody, body);
    const table = await loadParameterTable(this.store);
    const command: LaunchWorksSite = {
      type: 'LaunchWorksSite',
      data: { ...data, table },
      metadata: commandMetadata(req),
    };
    return this.run(res, id, recommitting(id, command, this.guard(req, id)));
  }

  @Post(':id/beneficiaries')
  @HttpCode(201)
  @ApiCommand(
    'Enrol a beneficiary, from matching or registered directly; paid at least the SMIG, with social cover',
    enrolBody,
    { ifMatch: true },
  )
  async enrol(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const data = parseInput(enrolBody, body);
    const table = await loadParameterTable(this.store);
    return (await this.execute(req, res, id, { type: 'EnrolBeneficiary', data: { ...data, table } })).view;
  }

  @Post(':id/payroll')
  @HttpCode(200)
  @ApiCommand(
    'Record a month’s payroll: days per beneficiary; gross, CNSS and AMO shares and net are computed at the rates of the month; the site is re-committed when a SMIG value learnt since changes its cost',
    payrollBody,
    { ifMatch: true },
  )
  async payroll(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const data = parseInput(payrollBody, body);
    const table = await loadParameterTable(this.store);
    const command: RecordPayroll = { type: 'RecordPayroll', data: { ...data, table }, metadata: commandMetadata(req) };
    return this.run(res, id, recommitting(id, command, this.guard(req, id)));
  }

  @Post(':id/completion')
  @HttpCode(200)
  @ApiCommand('Record the end of the site and issue each beneficiary’s certificate', dayBody, { ifMatch: true })
  async complete(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    return (await this.execute(req, res, id, { type: 'CompleteWorksSite', data: parseInput(dayBody, body) })).view;
  }

  @Get(':id/certificates')
  @ApiQuery()
  async certificates(@Param() p: unknown, @Req() req: AuthedRequest) {
    const { id } = parseInput(idParams, p, 'path');
    const s = existing((await loadAggregate(this.store, worksProjectDecider, worksProjectStreamId(id))).state, id);
    assertRegionAccess(identityOf(req), s.region, 'read', undefined, s.promoter.id);
    return {
      projectId: s.projectId,
      status: s.status,
      ...(s.completedOn ? { completedOn: s.completedOn } : {}),
      certificates: s.certificates,
    };
  }
}
