import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate, regionCode, slug, trimmedText as text } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, loadAggregate, NotFoundError, type Issued } from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  etag,
  identityOf,
  parseInput,
  runCommand,
  type AuthedRequest,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { isIscoUnitGroup } from '../occupation/isco-08';
import { EDUCATION_LEVELS } from '../seeker/seeker.decider';
import { CONTRACT_TYPES, offerDecider, offerStreamId, type OfferCommand } from './offer.decider';
import { listOffers, OFFER_LIST_PARAMS, offerListQuery } from './offer-list';
import { openAfterDaysFor } from './offer-settings';

export const receiveBody = z.object({
  offerId: slug,
  employer: z.object({
    kind: z.enum(['company', 'association', 'cooperative']),
    id: text(64),
    name: text(200),
    sector: text(60),
  }),
  region: regionCode,
  province: text(100),
  abroadCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code')
    .optional(),
  occupation: z
    .string()
    .refine(isIscoUnitGroup, 'must be an ISCO-08 unit group (4 digits)')
    .meta({ pattern: '^\\d{4}$' }),
  positions: z.number().int(),
  requiredEducation: z.enum(EDUCATION_LEVELS),
  skills: z.array(text(60)).max(30),
  contractType: z.enum(CONTRACT_TYPES),
  mass: z.boolean(),
  validUntil: isoDate,
});
const reasonBody = z.object({ reason: text(500) });
const empty = z.object({}).strict();
const idParams = z.object({ id: receiveBody.shape.offerId });

@ApiTags('offers')
@Controller('offers')
export class OfferController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  private async execute(req: AuthedRequest, res: Response, id: string, command: Issued<OfferCommand>) {
    const result = await runCommand(
      { req, res },
      this.store,
      offerDecider,
      offerStreamId(id),
      command,
      (state, who) => {
        if (state.status !== 'none') assertRegionAccess(who, state.region, 'write');
        else if (command.type === 'ReceiveOffer') assertRegionAccess(who, command.data.region, 'write');
        else throw new NotFoundError('OFFER_NOT_FOUND', `no offer ${id}`);
      },
    );
    if (result.state.status === 'none') throw new Error('an offer command must leave an offer');
    return { ...result.state, version: result.version };
  }

  private step(type: 'ValidateOffer' | 'OpenOfferToOtherRegions' | 'ExpireOffer') {
    return async (p: unknown, body: unknown, req: AuthedRequest, res: Response) => {
      const { id } = parseInput(idParams, p, 'path');
      parseInput(empty, body ?? {});
      return this.execute(req, res, id, { type, data: {} });
    };
  }

  @Post()
  @HttpCode(201)
  @ApiCommand('Receive an employer’s offer into the pipeline', receiveBody)
  async receive(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const data = parseInput(receiveBody, body);
    const result = await this.execute(req, res, data.offerId, { type: 'ReceiveOffer', data });
    res.setHeader('Location', `/offers/${data.offerId}`);
    return result;
  }

  @Post(':id/validate')
  @HttpCode(200)
  @ApiCommand('Validate a received offer', undefined, { ifMatch: true })
  validate(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.step('ValidateOffer')(p, body, req, res);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiCommand('Reject a received offer', reasonBody, { ifMatch: true })
  async reject(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    return this.execute(req, res, id, { type: 'RejectOffer', data: parseInput(reasonBody, body) });
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiCommand('Publish in its region; a mass offer opens to every region at once', undefined, { ifMatch: true })
  async publish(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParams, p, 'path');
    const { state } = await loadAggregate(this.store, offerDecider, offerStreamId(id));
    const openAfterDays = state.status === 'none' ? 0 : openAfterDaysFor(state.region);
    return this.execute(req, res, id, { type: 'PublishOffer', data: { openAfterDays } });
  }

  @Post(':id/open-to-other-regions')
  @HttpCode(200)
  @ApiCommand('Open a published offer to other regions once its regional delay has passed', undefined, {
    ifMatch: true,
  })
  open(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.step('OpenOfferToOtherRegions')(p, body, req, res);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiCommand('Close an offer with a reason', reasonBody, { ifMatch: true })
  async close(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    return this.execute(req, res, id, { type: 'CloseOffer', data: parseInput(reasonBody, body) });
  }

  @Post(':id/expire')
  @HttpCode(200)
  @ApiCommand('Expire an offer past its validity', undefined, { ifMatch: true })
  expire(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.step('ExpireOffer')(p, body, req, res);
  }

  /** Reads q.offers, which every write updates in its own transaction: an offer just received is listed. */
  @Get()
  @ApiQuery(OFFER_LIST_PARAMS)
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const query = parseInput(offerListQuery, q, 'query');
    return listOffers(this.store.db, identityOf(req), query, { url: req.originalUrl, res });
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParams, p, 'path');
    const { state, version } = await loadAggregate(this.store, offerDecider, offerStreamId(id));
    if (state.status === 'none') throw new NotFoundError('OFFER_NOT_FOUND', `no offer ${id}`);
    // The employer who placed the offer reads it too; another employer gets 403.
    assertRegionAccess(identityOf(req), state.region, 'read', undefined, state.employer.id);
    res.setHeader('ETag', etag(version));
    return { ...state, version };
  }
}
