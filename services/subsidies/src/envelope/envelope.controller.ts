import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { regionCode as region, slug } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, loadAggregate, NotFoundError } from '@tashghil/event-store';
import {
  ApiQuery,
  assertRegionAccess,
  identityOf,
  pageQuery,
  parseInput,
  type AuthedRequest,
  equalities,
  PAGE_PARAMS,
  readableBy,
  readPage,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { envelopeDecider, envelopeStreamId } from './envelope.decider';
import { envelopeListed, envelopeQueryModel, type EnvelopeListed } from './envelope.query-model';

const year = z.coerce.number().int().min(2000).max(2100);
const keyParams = z.object({ region, programme: slug, year });
const listQuery = pageQuery.extend({ region: region.optional(), programme: slug.optional(), year: year.optional() });

@ApiTags('envelopes')
@Controller('envelopes')
export class EnvelopeController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiQuery({ ...PAGE_PARAMS, region: 'a region code such as MA-10', programme: 'e.g. awrach', year: 'e.g. 2022' })
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const who = identityOf(req);
    const { region: wanted, programme, year: y, ...page } = parseInput(listQuery, q, 'query');
    if (wanted) assertRegionAccess(who, wanted, 'read');
    const scope = readableBy(who);
    const { rows, next } = await readPage<EnvelopeListed>(this.store.db, {
      list: 'envelopes',
      table: envelopeQueryModel.table,
      where: [...(scope ? [scope] : []), ...equalities({ region: wanted, programme, year: y })],
      page,
      url: req.originalUrl,
      res,
    });
    return { envelopes: rows.map((row) => ({ ...row.view, version: Number(row.version) })), next };
  }

  @Get(':region/:programme/:year')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest) {
    const key = parseInput(keyParams, p, 'path');
    assertRegionAccess(identityOf(req), key.region, 'read');
    const { state, version } = await loadAggregate(this.store, envelopeDecider, envelopeStreamId(key));
    if (state.status !== 'set')
      throw new NotFoundError(
        'ENVELOPE_NOT_SET',
        `no targets for ${key.programme} ${key.year} in ${key.region} have reached the subsidies service`,
      );
    return { ...envelopeListed(state), version };
  }
}
