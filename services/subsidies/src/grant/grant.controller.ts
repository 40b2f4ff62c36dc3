import { isDeepStrictEqual } from 'node:util';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  beneficiaryCategoriesSchema,
  isoDate,
  isoMonth,
  regionCode as region,
  slug,
  trimmedText,
} from '@tashghil/contracts';
import {
  EVENT_STORE,
  EventStore,
  handleWorkflow,
  loadAggregate,
  NotFoundError,
  ValidationError,
  type Workflow,
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
import { decideGrant, endContract, waitlisting, type GrantGuard } from './grant-envelope.workflow';
import { hireDecider, hireStreamId, type NoticedHire } from './hire.decider';
import {
  grantDecider,
  grantScheme,
  grantStreamId,
  replayEligibility,
  type ApplyForGrant,
  type DecideGrant,
  type EndContract,
  type Grant,
} from './grant.decider';
import { grantOn, grantView, type GrantListed } from './grant.view';

const centimes = z.number().int().nonnegative();

const applyBody = z.object({
  grantId: slug.optional().describe('defaults to <scheme>-<placementId> for a hire from the matching service'),
  scheme: z.string().max(64).describe('awrach-1 or awrach-2 (GET /schemes)'),
  placementId: z
    .string()
    .max(64)
    .optional()
    .describe('a hire the matching service published (SeekerHired); fills the contract and the categories'),
  region: region.optional().describe('required for a hire entered by hand'),
  employer: z.object({
    kind: z.enum(['company', 'association', 'cooperative', 'public_body', 'other']).optional(),
    id: z.string().min(1).max(64).optional(),
    name: trimmedText(200),
    turnover3yCentimes: centimes.optional().describe('turnover over the last three years, in centimes (Awrach 2)'),
    newlyCreated: z.boolean().optional().describe('attested by the officer: a newly created firm (Awrach 2)'),
  }),
  hire: z
    .object({
      seekerId: z.string().min(1).max(64),
      startDate: isoDate,
      contractMonths: z.number().int().positive(),
      monthlyWageCentimes: centimes,
    })
    .optional()
    .describe('required for a hire entered by hand'),
  person: z.object({
    monthsRegistered: z.number().int().nonnegative().optional(),
    pandemicJobLoss: z.boolean().optional(),
    disability: z.boolean().optional(),
    hardToPlace: z.boolean().describe('attested by the officer: finds it hard to enter the labour market'),
    priorCnssMonths: z.number().int().nonnegative().describe('months the person was already declared to the CNSS'),
    recentCnssMonths: z
      .number()
      .int()
      .nonnegative()
      .max(6)
      .optional()
      .describe('months declared to the CNSS in the six months before the hire (Awrach 2, when that reading applies)'),
  }),
  beneficiary: z
    .object({
      province: trimmedText(100).optional().describe('the province the hire counts in'),
      categories: beneficiaryCategoriesSchema
        .optional()
        .describe('gender, age band, disability, diploma, area and long-term unemployment'),
    })
    .optional()
    .describe('required for a hire entered by hand; a hire from matching takes them from the placement'),
  appliedOn: isoDate.optional().describe('today when absent'),
});
const decisionBody = z.object({
  outcome: z.enum(['approved', 'rejected', 'waitlisted']),
  decisionNumber: trimmedText(64),
  date: isoDate,
  committeeId: z.string().max(64).optional(),
  reason: z.string().max(1000).optional().describe('required for a rejection or a waitlisting'),
});
const declarationsBody = z.object({
  months: z
    .array(z.object({ month: isoMonth, days: z.number().int(), wageCentimes: z.number().int() }))
    .min(1)
    .max(120),
});
const paymentBody = z.object({ month: isoMonth, paidOn: isoDate.optional().describe('today when absent') });
const endBody = z.object({ lastDay: isoDate, reason: z.string().max(1000) });
const replayBody = z.object({});
const idParams = z.object({ id: slug });
const listQuery = pageQuery.extend({
  region: region.optional(),
  status: z.enum(['applied', 'approved', 'rejected', 'waitlisted', 'ended']).optional(),
  scheme: z.string().max(64).optional(),
  employer: z.string().min(1).max(64).optional(),
});

const DECIDERS: readonly Role[] = ['committee', 'admin'];
/** An employer files its own application and declarations; the rest is the administration's. */
const ORGANISATION_WRITERS: readonly Role[] = ['officer', 'admin', 'employer', 'association'];

type Active = Exclude<Grant, { status: 'none' }>;
const existing = (s: Grant, id: string): Active => {
  if (s.status === 'none') throw new NotFoundError('GRANT_NOT_FOUND', `there is no grant ${id}`);
  return s;
};

/** The hire's categories as the committees count them; a hire abroad counts in the province the person left. */
const beneficiaryOf = (hire: NoticedHire): ApplyForGrant['data']['beneficiary'] => {
  const { gender, ageBand, disability, hasDiploma, area, longTermUnemployed } = hire.categories;
  return {
    province: hire.flow === 'abroad' ? hire.origin.province : hire.destination.province,
    categories: { gender, ageBand, disability, hasDiploma, area, longTermUnemployed },
  };
};

@ApiTags('grants')
@Controller('grants')
export class GrantController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SUBSIDIES_SETTINGS) private readonly settings: SubsidiesSettings,
  ) {}

  @Post()
  @ApiCommand('File an employer’s application for a hire; its eligibility is decided and kept, rule by rule', applyBody)
  async apply(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(applyBody, body);
    grantScheme(input.scheme);
    const data = await this.applicationFrom(input);
    const table = await loadParameterTable(this.store);
    const result = await runCommand(
      { req, res },
      this.store,
      grantDecider,
      grantStreamId(data.grantId),
      { type: 'ApplyForGrant', data: { ...data, table } },
      (_s, who) => assertRegionAccess(who, data.region, 'write', ORGANISATION_WRITERS, data.employer.id),
    );
    const state = existing(result.state, data.grantId);
    if (result.events.length) {
      res.status(201);
      res.setHeader('Location', `/grants/${data.grantId}`);
    }
    return grantView(state, result.version, today());
  }

  @Get()
  @ApiQuery({
    ...PAGE_PARAMS,
    region: 'a region code such as MA-10',
    status: 'applied, approved, rejected, waitlisted or ended',
    scheme: 'awrach-1 or awrach-2',
    employer: 'the employer’s id',
  })
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const who = identityOf(req);
    const { region: wanted, status, scheme, employer, ...page } = parseInput(listQuery, q, 'query');
    const scope = readableBy(who, 'employer');
    const { rows, next } = await readPage<GrantListed>(this.store.db, {
      list: 'grants',
      table: 'q.grants',
      where: [...(scope ? [scope] : []), ...equalities({ region: wanted, status, scheme, employer })],
      page,
      url: req.originalUrl,
      res,
    });
    const day = today();
    return { grants: rows.map((row) => grantOn(row.view, Number(row.version), day)), next };
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParams, p, 'path');
    const { state, version } = await loadAggregate(this.store, grantDecider, grantStreamId(id));
    const g = existing(state, id);
    assertRegionAccess(identityOf(req), g.application.region, 'read', undefined, g.application.employer.id);
    res.setHeader('ETag', etag(version));
    return grantView(g, version, today());
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiCommand(
    'Record the technical committee’s decision; an approval computes the schedule and takes its place in the envelope, or is refused or waitlisted when the envelope is full',
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
    const who = identityOf(req);
    const table = await loadParameterTable(this.store);
    const command: DecideGrant = { type: 'DecideGrant', data: { ...data, table }, metadata: commandMetadata(req) };
    const guard = this.guard(req, (g) => assertRegionAccess(who, g.application.region, 'write', DECIDERS), id);
    const decided = (c: DecideGrant) => this.run(res, id, decideGrant(id, c, guard));
    return approveOrWaitlist(
      this.settings.overEnvelope,
      () => decided(command),
      (refusal) => decided(waitlisting(command, refusal)),
    );
  }

  @Post(':id/cnss-declarations')
  @HttpCode(200)
  @ApiCommand(
    'Record the months the employee was declared to the CNSS (a payment needs its month declared)',
    declarationsBody,
  )
  async declare(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const { months } = parseInput(declarationsBody, body);
    const table = await loadParameterTable(this.store);
    const result = await runCommand(
      { req, res },
      this.store,
      grantDecider,
      grantStreamId(id),
      { type: 'RecordCnssDeclarations', data: { months, source: 'entered', table } },
      (s, who) => {
        const g = existing(s, id);
        assertRegionAccess(who, g.application.region, 'write', ORGANISATION_WRITERS, g.application.employer.id);
      },
    );
    return grantView(existing(result.state, id), result.version, today());
  }

  @Post(':id/payments')
  @HttpCode(200)
  @ApiCommand(
    'Record the payment of a month’s instalment; refused unless the month was declared to the CNSS',
    paymentBody,
  )
  async pay(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const { month, paidOn } = parseInput(paymentBody, body);
    const result = await runCommand(
      { req, res },
      this.store,
      grantDecider,
      grantStreamId(id),
      { type: 'PayInstalment', data: { month, paidOn: paidOn ?? today() } },
      (s, who) => assertRegionAccess(who, existing(s, id).application.region, 'write'),
    );
    return grantView(existing(result.state, id), result.version, today());
  }

  @Post(':id/contract-end')
  @HttpCode(200)
  @ApiCommand(
    'Record that the contract ended before its length: the schedule stops, the job place and the unpaid remainder go back to the envelope, money paid beyond the schedule is claimed back, and an end before the length the scheme requires costs its clawback',
    endBody,
    { ifMatch: true },
  )
  async end(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const data = parseInput(endBody, body);
    const who = identityOf(req);
    const table = await loadParameterTable(this.store);
    const command: EndContract = { type: 'EndContract', data: { ...data, table }, metadata: commandMetadata(req) };
    const guard = this.guard(req, (g) => assertRegionAccess(who, g.application.region, 'write'), id);
    return this.run(res, id, endContract(id, command, guard));
  }

  @Post(':id/eligibility/replay')
  @HttpCode(200)
  @ApiCommand(
    'Decide the application’s eligibility again with the parameters known when it was decided, and compare',
    replayBody,
  )
  async replay(@Param() p: unknown, @Body() body: unknown, @Req() req: AuthedRequest) {
    const { id } = parseInput(idParams, p, 'path');
    // Nothing to read in it, but a body that is not the documented object is refused like any other.
    parseInput(replayBody, body);
    const g = existing((await loadAggregate(this.store, grantDecider, grantStreamId(id))).state, id);
    assertRegionAccess(identityOf(req), g.application.region, 'read', undefined, g.application.employer.id);
    const replayed = replayEligibility(g.application, await loadParameterTable(this.store));
    // Deep equality, not text: jsonb does not keep the key order the decision was written in.
    return {
      grantId: id,
      same: isDeepStrictEqual(replayed, g.application.eligibility),
      recorded: g.application.eligibility,
      replayed,
    };
  }

  /** If-Match as the grant's expected version, and the caller checked against the grant as it stands. */
  private guard(req: AuthedRequest, check: (g: Active) => void, id: string): GrantGuard {
    const expectedVersion = expectedVersionFrom(req);
    return {
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      authorize: (s) => check(existing(s, id)),
    };
  }

  /** Runs a grant's workflow and answers the grant as it left it, with its version as the ETag. */
  private async run(res: Response, id: string, workflow: Workflow) {
    const { state, version } = await (await handleWorkflow(this.store, workflow)).stream(
      grantDecider,
      grantStreamId(id),
    );
    res.setHeader('ETag', etag(version));
    return grantView(existing(state, id), version, today());
  }

  /** A hire from the matching service fills what an employer would otherwise type; a hand-entered one must be whole. */
  private async applicationFrom(input: z.infer<typeof applyBody>): Promise<Omit<ApplyForGrant['data'], 'table'>> {
    const appliedOn = input.appliedOn ?? today();
    const recent =
      input.person.recentCnssMonths === undefined ? {} : { recentCnssMonths: input.person.recentCnssMonths };
    if (input.placementId) {
      const { state: hire } = await loadAggregate(this.store, hireDecider, hireStreamId(input.placementId));
      if (hire.status === 'none')
        throw new NotFoundError(
          'HIRE_NOT_KNOWN',
          `no hire for placement ${input.placementId} has reached the subsidies service`,
        );
      return {
        grantId: input.grantId ?? `${input.scheme}-${input.placementId}`.toLowerCase(),
        region: hire.destination.region,
        scheme: input.scheme,
        employer: { ...input.employer, kind: hire.employer.kind, id: hire.employer.id },
        hire: {
          source: 'matching',
          placementId: hire.placementId,
          seekerId: hire.seekerId,
          startDate: hire.startDate,
          contractMonths: hire.contractMonths,
          monthlyWageCentimes: hire.monthlyWageCentimes,
        },
        person: {
          monthsRegistered: hire.categories.monthsRegistered,
          pandemicJobLoss: hire.categories.pandemicJobLoss,
          disability: hire.categories.disability,
          hardToPlace: input.person.hardToPlace,
          priorCnssMonths: input.person.priorCnssMonths,
          ...recent,
        },
        appliedOn,
        beneficiary: beneficiaryOf(hire),
      };
    }
    const missing = [
      ...(input.grantId ? [] : ['grantId']),
      ...(input.region ? [] : ['region']),
      ...(input.hire ? [] : ['hire']),
      ...(input.employer.kind ? [] : ['employer.kind']),
      ...(input.employer.id ? [] : ['employer.id']),
      ...(['monthsRegistered', 'pandemicJobLoss', 'disability'] as const)
        .filter((k) => input.person[k] === undefined)
        .map((k) => `person.${k}`),
      ...(['province', 'categories'] as const)
        .filter((k) => input.beneficiary?.[k] === undefined)
        .map((k) => `beneficiary.${k}`),
    ];
    const { grantId, region: r, hire, employer, person } = input;
    const province = input.beneficiary?.province;
    const categories = input.beneficiary?.categories;
    if (
      missing.length ||
      !grantId ||
      !r ||
      !hire ||
      !employer.kind ||
      !employer.id ||
      person.monthsRegistered === undefined ||
      person.pandemicJobLoss === undefined ||
      person.disability === undefined ||
      !province ||
      !categories
    ) {
      throw new ValidationError(
        'MANUAL_HIRE_INCOMPLETE',
        'a hire entered by hand (no placementId) gives the contract and the person in full',
        missing.map((path) => ({ path, message: 'required without a placementId' })),
      );
    }
    return {
      grantId,
      region: r,
      scheme: input.scheme,
      employer: { ...employer, kind: employer.kind, id: employer.id },
      hire: { source: 'manual', ...hire },
      person: {
        monthsRegistered: person.monthsRegistered,
        pandemicJobLoss: person.pandemicJobLoss,
        disability: person.disability,
        hardToPlace: person.hardToPlace,
        priorCnssMonths: person.priorCnssMonths,
        ...recent,
      },
      appliedOn,
      beneficiary: { province, categories },
    };
  }
}
