import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate } from '@tashghil/contracts';
import {
  EVENT_STORE,
  EventStore,
  handleCommand,
  IllegalStateError,
  loadAggregate,
  NotFoundError,
  toNewEvents,
  type CommandMetadata,
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
  today,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { scoreMatch } from '../matching-run/scoring';
import { CONTRACT_TYPES, offerDecider, offerStreamId, type Offer, type OfferCommand } from '../offer/offer.decider';
import {
  ageOn,
  monthsRegistered,
  seekerDecider,
  seekerStreamId,
  type Seeker,
  type SeekerCommand,
} from '../seeker/seeker.decider';
import {
  placementDecider,
  placementStreamId,
  type Categories,
  type PlacementCommand,
  type Proposal,
} from './placement.decider';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, '3–64 lower-case letters, digits and dashes');
const proposeBody = z.object({ seekerId: slug, offerId: slug });
const answerBody = z.object({ accepted: z.boolean(), reason: z.string().trim().max(500).optional() });
const interviewBody = z.object({ date: isoDate });
const hireBody = z.object({
  contractType: z.enum(CONTRACT_TYPES),
  startDate: isoDate,
  contractMonths: z.number().int(),
  monthlyWageCentimes: z.number().int(),
});
const rejectBody = z.object({ reason: z.string().trim().min(1).max(500) });
const idParams = z.object({ id: z.string().regex(/^pl-[0-9a-f]{16}$/, 'a placement id as the API gave it') });

type Issued = {
  [C in PlacementCommand['type']]: { readonly type: C; readonly data: Extract<PlacementCommand, { type: C }>['data'] };
}[PlacementCommand['type']];

export const placementIdFor = (seekerId: string, offerId: string, runId = 'manual'): string =>
  `pl-${createHash('sha256').update(`${runId}|${seekerId}|${offerId}`).digest('hex').slice(0, 16)}`;

const DIPLOMA_LEVELS = new Set(['baccalaureate', 'vocational', 'bac_plus_2', 'licence', 'master', 'doctorate']);

export const categoriesOf = (s: Exclude<Seeker, { status: 'none' }>, on: string): Categories => {
  const age = ageOn(s.birthDate, on);
  const months = monthsRegistered(s.registeredOn, on);
  return {
    gender: s.gender,
    ageBand: age < 25 ? 'under_25' : age < 35 ? '25_34' : age < 55 ? '35_54' : '55_plus',
    disability: s.disability,
    hasDiploma: s.diploma !== undefined || DIPLOMA_LEVELS.has(s.education),
    area: s.area,
    monthsRegistered: months,
    longTermUnemployed: months >= 24,
    pandemicJobLoss: s.pandemicJobLoss,
  };
};

/** Builds a proposal from the two files as they stand: the score, its parts and its reasons. */
export const proposalFor = (
  seeker: Exclude<Seeker, { status: 'none' }>,
  offer: Exclude<Offer, { status: 'none' }>,
  on: string,
  runId?: string,
): Proposal | undefined => {
  const score = scoreMatch(seeker, offer, on);
  if (!score) return undefined;
  return {
    placementId: placementIdFor(seeker.seekerId, offer.offerId, runId),
    ...(runId ? { runId } : {}),
    seekerId: seeker.seekerId,
    offerId: offer.offerId,
    score: score.total,
    parts: score.parts,
    reasons: score.reasons,
    origin: { region: seeker.region, province: seeker.province },
    destination: {
      region: offer.region,
      province: offer.province,
      ...(offer.abroadCountry ? { abroadCountry: offer.abroadCountry } : {}),
    },
    employer: { kind: offer.employer.kind, id: offer.employer.id, sector: offer.employer.sector },
    occupation: offer.occupation,
    categories: categoriesOf(seeker, on),
  };
};

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

  private async execute(req: AuthedRequest, res: Response, id: string, command: Issued) {
    const result = await runCommand(
      { req, res },
      this.store,
      placementDecider,
      placementStreamId(id),
      command as Omit<PlacementCommand, 'metadata'>,
      (state, who) => {
        if (state.status !== 'none') assertEitherRegion(who, state);
        else if (command.type === 'ProposePlacement') assertEitherRegion(who, command.data);
        else throw new NotFoundError('PLACEMENT_NOT_FOUND', `no placement ${id}`);
      },
    );
    if (result.state.status === 'none') throw new Error('a placement command must leave a placement');
    return { ...result.state, version: result.version };
  }

  @Post()
  @HttpCode(201)
  @ApiCommand(
    'Propose a seeker for an offer, outside a batch run; the proposal keeps the parts of its score',
    proposeBody,
  )
  async propose(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { seekerId, offerId } = parseInput(proposeBody, body);
    const [{ state: seeker }, { state: offer }] = await Promise.all([
      loadAggregate(this.store, seekerDecider, seekerStreamId(seekerId)),
      loadAggregate(this.store, offerDecider, offerStreamId(offerId)),
    ]);
    if (seeker.status === 'none') throw new NotFoundError('SEEKER_NOT_FOUND', `no seeker ${seekerId}`);
    if (offer.status === 'none') throw new NotFoundError('OFFER_NOT_FOUND', `no offer ${offerId}`);
    // Before the files' states are judged: their answers would tell a caller of another region how they stand.
    assertEitherRegion(identityOf(req), {
      origin: { region: seeker.region, province: seeker.province },
      destination: { region: offer.region, province: offer.province },
    });
    if (seeker.status !== 'registered')
      throw new IllegalStateError('SEEKER_NOT_AVAILABLE', `the seeker is ${seeker.status}`);
    if (offer.status !== 'published')
      throw new IllegalStateError('OFFER_NOT_PUBLISHED', `the offer is ${offer.status}`);
    if (seeker.region !== offer.region && !offer.openToOtherRegions && !offer.abroadCountry) {
      throw new IllegalStateError(
        'OFFER_NOT_OPEN_TO_REGION',
        `the offer is open to ${offer.region} only until ${offer.opensToOtherRegionsOn ?? 'it opens'}`,
      );
    }
    const proposal = proposalFor(seeker, offer, today());
    if (!proposal)
      throw new IllegalStateError(
        'BEYOND_SEEKER_MOBILITY',
        `the offer is farther than the seeker will go (${seeker.mobility})`,
      );
    const result = await this.execute(req, res, proposal.placementId, { type: 'ProposePlacement', data: proposal });
    res.setHeader('Location', `/placements/${proposal.placementId}`);
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
    const metadata = commandMetadata(req);
    const follow = (suffix: string): CommandMetadata => ({
      ...metadata,
      causationId: metadata.commandId,
      commandId: `hire:${id}:${suffix}`,
    });
    const result = await handleCommand(
      this.store,
      placementDecider,
      placementStreamId(id),
      { type: 'RecordHire', data, metadata },
      {
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        authorize: (state) => {
          if (state.status === 'none') throw new NotFoundError('PLACEMENT_NOT_FOUND', `no placement ${id}`);
          assertEitherRegion(who, state);
        },
        alongside: async ({ before, events }) => {
          const hired = events.reduce(placementDecider.evolve, before);
          if (hired.status !== 'hired' || !hired.hire) return { appends: [] };
          const seekerCommand: SeekerCommand = {
            type: 'RecordSeekerHired',
            data: { offerId: hired.offerId, placementId: id, startDate: hired.hire.startDate },
            metadata: follow('seeker'),
          };
          const offerCommand: OfferCommand = {
            type: 'RecordPositionFilled',
            data: { placementId: id },
            metadata: follow('offer'),
          };
          const [seeker, offer] = await Promise.all([
            loadAggregate(this.store, seekerDecider, seekerStreamId(hired.seekerId)),
            loadAggregate(this.store, offerDecider, offerStreamId(hired.offerId)),
          ]);
          return {
            appends: [
              {
                streamId: seekerStreamId(hired.seekerId),
                events: toNewEvents(seekerCommand, seekerDecider.decide(seekerCommand, seeker.state)),
                expected: seeker.version,
              },
              {
                streamId: offerStreamId(hired.offerId),
                events: toNewEvents(offerCommand, offerDecider.decide(offerCommand, offer.state)),
                expected: offer.version,
              },
            ],
          };
        },
      },
    );
    res.setHeader('ETag', etag(result.version));
    if (result.state.status === 'none') throw new NotFoundError('PLACEMENT_NOT_FOUND', `no placement ${id}`);
    return { ...result.state, version: result.version };
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
