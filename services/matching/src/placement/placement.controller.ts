import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate, slug, trimmedText } from '@tashghil/contracts';
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
  parseInput,
  runCommand,
  type AuthedRequest,
  type Identity,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { CONTRACT_TYPES } from '../offer/offer.decider';
import { hire } from './hire.workflow';
import { placementDecider, placementStreamId, type PlacementCommand, type Proposal } from './placement.decider';
import { listPlacements, PLACEMENT_LIST_PARAMS, placementListQuery } from './placement-list';
import { proposePlacement } from './propose.workflow';
import { placementIdFor } from './proposal';

const proposeBody = z.object({ seekerId: slug, offerId: slug });
const answerBody = z.object({ accepted: z.boolean(), reason: trimmedText(500, 0).optional() });
const interviewBody = z.object({ date: isoDate });
const hireBody = z.object({
  contractType: z.enum(CONTRACT_TYPES),
  startDate: isoDate,
  contractMonths: z.number().int(),
  monthlyWageCentimes: z.number().int(),
});
const rejectBody = z.object({ reason: trimmedText(500) });
const idParams = z.object({ id: z.string().regex(/^pl-[0-9a-f]{16}$/, 'a placement id as the API gave it') });

/** Officers of the seeker's region or of the offer's region may act on a placement between them. */
const assertEitherRegion = (who: Identity, p: Pick<Proposal, 'origin' | 'destination'>): void => {
  try {
    assertRegionAccess(who, p.destination.region, 'write');
  } catch (error) {
    if (p.origin.region === p.destination.region) throw error;
    assertRegionAccess(who, p.origin.region, 'write');
  }
};

@ApiTags('placements')
@Controller('placements')
export class PlacementController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  private async execute(req: AuthedRequest, res: Response, id: string, command: Issued<PlacementCommand>) {
    const result = await runCommand(
      { req, res },
      this.store,
      placementDecider,
      placementStreamId(id),
      command,
      (state, who) => {
        if (state.status === 'none') throw new NotFoundError('PLACEMENT_NOT_FOUND', `no placement ${id}`);
        assertEitherRegion(who, state);
      },
    );
    if (result.state.status === 'none') throw new Error('a placement command must leave a placement');
    return { ...result.state, version: result.version };
  }

  /** Runs a placement's workflow and answers the placement as it left it, with its version as the ETag. */
  private async run(res: Response, workflow: Workflow, id: string) {
    const result = await handleWorkflow(this.store, workflow);
    const { state, version } = await result.stream(placementDecider, placementStreamId(id));
    res.setHeader('ETag', etag(version));
    if (state.status === 'none') throw new NotFoundError('PLACEMENT_NOT_FOUND', `no placement ${id}`);
    return { ...state, version };
  }

  @Post()
  @HttpCode(201)
  @ApiCommand(
    'Propose a seeker for an offer, outside a batch run; the proposal keeps the parts of its score',
    proposeBody,
  )
  async propose(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { seekerId, offerId } = parseInput(proposeBody, body);
    const who = identityOf(req);
    const workflow = proposePlacement(seekerId, offerId, commandMetadata(req), (p) => assertEitherRegion(who, p));
    const placementId = placementIdFor(seekerId, offerId);
    const result = await this.run(res, workflow, placementId);
    res.setHeader('Location', `/placements/${placementId}`);
    return result;
  }

  @Post(':id/answer')
  @HttpCode(200)
  @ApiCommand('The seeker accepts or declines the proposal', answerBody, { ifMatch: true })
  async answer(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const { accepted, reason } = parseInput(answerBody, body);
    return this.execute(req, res, id, { type: 'AnswerProposal', data: { accepted, ...(reason ? { reason } : {}) } });
  }

  @Post(':id/interview')
  @HttpCode(200)
  @ApiCommand('The employer schedules an interview', interviewBody, { ifMatch: true })
  async interview(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    return this.execute(req, res, id, { type: 'ScheduleInterview', data: parseInput(interviewBody, body) });
  }

  /**
   * Records the hire, marks the seeker placed and counts the position on the offer, in one
   * transaction: a hire the seeker's or the offer's file refuses (an erased seeker, a closed offer)
   * is refused whole, and nothing is stored. The follow-ups keep command ids derived from the
   * placement, as the demo's hires do.
   */
  @Post(':id/hire')
  @HttpCode(200)
  @ApiCommand(
    'The employer hires the seeker: contract type, start date, duration and monthly wage in centimes',
    hireBody,
    { ifMatch: true },
  )
  async hire(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const data = parseInput(hireBody, body);
    const who = identityOf(req);
    const expectedVersion = expectedVersionFrom(req);
    const workflow = hire(
      id,
      { type: 'RecordHire', data, metadata: commandMetadata(req) },
      {
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        authorize: (state) => {
          if (state.status === 'none') throw new NotFoundError('PLACEMENT_NOT_FOUND', `no placement ${id}`);
          assertEitherRegion(who, state);
        },
      },
    );
    return this.run(res, workflow, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiCommand('The employer turns the candidate down', rejectBody, { ifMatch: true })
  async reject(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    return this.execute(req, res, id, { type: 'RejectCandidate', data: parseInput(rejectBody, body) });
  }

  /** Reads q.placements, which every write updates in its own transaction: a proposal just made is listed. */
  @Get()
  @ApiQuery(PLACEMENT_LIST_PARAMS)
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const query = parseInput(placementListQuery, q, 'query');
    return listPlacements(this.store.db, identityOf(req), query, { url: req.originalUrl, res });
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParams, p, 'path');
    const { state, version } = await loadAggregate(this.store, placementDecider, placementStreamId(id));
    if (state.status === 'none') throw new NotFoundError('PLACEMENT_NOT_FOUND', `no placement ${id}`);
    const who = identityOf(req);
    try {
      assertRegionAccess(who, state.destination.region, 'read');
    } catch {
      assertRegionAccess(who, state.origin.region, 'read');
    }
    res.setHeader('ETag', etag(version));
    return { ...state, version };
  }
}
