import { Body, Controller, Get, Inject, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { isoDate, regionCode as region, slug } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, handleCommand, loadAggregate, NotFoundError } from '@tashghil/event-store';
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
  type AuthedRequest,
  type Role,
  equalities,
  PAGE_PARAMS,
  readableBy,
  readPage,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR, programmeTargetsDecider, programmeTargetsStreamId } from './programme-targets.decider';
import { programmeTargetsQueryModel, targetsListed, type TargetsListed } from './programme-targets.query-model';

/** Targets drive the subsidy envelopes: officers and admins set them, committees read them. */
const WRITERS: readonly Role[] = ['officer', 'admin'];

const year = z.coerce.number().int('must be a year such as 2022').min(MIN_YEAR).max(MAX_YEAR);
const keyParams = z.object({ region, programme: slug, year });

// Numbers may be negative or empty here on purpose: the decider refuses them with NEGATIVE_TARGET,
// NEGATIVE_BUDGET or NO_COMPONENTS naming each field, one rule in one place.
const setBody = z.object({
  components: z
    .array(
      z.object({
        component: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, "must be a slug such as 'temporary_works'"),
        targetJobs: z.number().int().describe('jobs, ≥ 0'),
        budgetCentimes: z.number().int().optional().describe('integer centimes (1 MAD = 100), ≥ 0'),
      }),
    )
    .max(50)
    .describe('at least one, each component once'),
  reference: z.string().max(500).describe('the legal or administrative text the figures come from'),
  effectiveDate: isoDate.describe('a date within the year'),
});
const listQuery = pageQuery.extend({ region: region.optional(), programme: slug.optional(), year: year.optional() });

@ApiTags('programme targets')
@Controller('programme-targets')
export class ProgrammeTargetsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Put(':region/:programme/:year')
  @ApiCommand(
    'Set the targets of a programme in a region for a year (201 the first time, 200 for a revision); published as ProgrammeTargetsSet',
    setBody,
    { ifMatch: true },
  )
  @ApiResponse({ status: 201, description: 'the first targets for this region, programme and year' })
  async set(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const key = parseInput(keyParams, p, 'path');
    const data = parseInput(setBody, body);
    assertRegionAccess(identityOf(req), key.region, 'write', WRITERS);
    const expectedVersion = expectedVersionFrom(req);
    const result = await handleCommand(
      this.store,
      programmeTargetsDecider,
      programmeTargetsStreamId(key.region, key.programme, key.year),
      { type: 'SetProgrammeTargets', data: { ...key, ...data }, metadata: commandMetadata(req) },
      expectedVersion !== undefined ? { expectedVersion } : {},
    );
    if (result.state.status === 'none') throw new Error('setting targets must leave targets');
    if (result.events.length > 0 && result.state.revision === 1) {
      res.status(201);
      res.setHeader('Location', `/programme-targets/${key.region}/${key.programme}/${key.year}`);
    }
    res.setHeader('ETag', etag(result.version));
    return { ...targetsListed(result.state), version: result.version };
  }

  @Get()
  @ApiQuery({ ...PAGE_PARAMS, region: 'a region code such as MA-10', programme: 'e.g. awrach', year: 'e.g. 2022' })
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const who = identityOf(req);
    const { region: wanted, programme, year: y, ...page } = parseInput(listQuery, q, 'query');
    if (wanted) assertRegionAccess(who, wanted, 'read');
    const scope = readableBy(who);
    const { rows, next } = await readPage<TargetsListed>(this.store.db, {
      list: 'programme-targets',
      table: programmeTargetsQueryModel.table,
      where: [...(scope ? [scope] : []), ...equalities({ region: wanted, programme, year: y })],
      page,
      url: req.originalUrl,
      res,
    });
    return { targets: rows.map((row) => ({ ...row.view, version: Number(row.version) })), next };
  }

  @Get(':region/:programme/:year')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const key = parseInput(keyParams, p, 'path');
    assertRegionAccess(identityOf(req), key.region, 'read');
    const { state, version } = await loadAggregate(
      this.store,
      programmeTargetsDecider,
      programmeTargetsStreamId(key.region, key.programme, key.year),
    );
    if (state.status === 'none') {
      throw new NotFoundError(
        'PROGRAMME_TARGETS_NOT_FOUND',
        `no targets for ${key.programme} in ${key.region} for ${key.year}`,
      );
    }
    res.setHeader('ETag', etag(version));
    return { ...targetsListed(state), version };
  }
}
