import { Body, Controller, Get, Inject, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { isoDate, regionCode as region, REGIONS, slug } from '@tashghil/contracts';
import {
  EVENT_STORE,
  EventStore,
  handleCommand,
  loadAggregate,
  loadCategory,
  NotFoundError,
} from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  commandMetadata,
  etag,
  expectedVersionFrom,
  identityOf,
  mayRead,
  parseInput,
  type AuthedRequest,
  type Role,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import {
  MAX_YEAR,
  MIN_YEAR,
  PROGRAMME_TARGETS_CATEGORY,
  programmeTargetsDecider,
  programmeTargetsStreamId,
  type CurrentTargets,
} from './programme-targets.decider';

/** Targets drive the subsidy envelopes: officers and admins set them, committees read them. */
const WRITERS: readonly Role[] = ['officer', 'admin'];

const keyParams = z.object({
  region,
  programme: slug,
  year: z.coerce.number().int('must be a year such as 2022').min(MIN_YEAR).max(MAX_YEAR),
});

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
const listQuery = z.object({ region: region.optional() });

const view = (s: CurrentTargets, version: number) => {
  const { status: _status, ...targets } = s;
  return {
    ...targets,
    regionName: REGIONS[s.region],
    totals: {
      targetJobs: s.components.reduce((n, c) => n + c.targetJobs, 0),
      budgetCentimes: s.components.reduce((n, c) => n + (c.budgetCentimes ?? 0), 0),
    },
    version,
  };
};

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
    return view(result.state, result.version);
  }

  @Get()
  @ApiQuery()
  async list(@Query() q: unknown, @Req() req: AuthedRequest) {
    const who = identityOf(req);
    const { region: wanted } = parseInput(listQuery, q, 'query');
    if (wanted) assertRegionAccess(who, wanted, 'read');
    // The region is part of the stream id, so a region's targets are found without reading the others.
    const idPrefix = wanted ? `${PROGRAMME_TARGETS_CATEGORY}-${wanted.toLowerCase()}-` : undefined;
    const targets = [];
    for (const { state, version } of await loadCategory(
      this.store,
      programmeTargetsDecider,
      PROGRAMME_TARGETS_CATEGORY,
      idPrefix ? { idPrefix } : {},
    )) {
      if (state.status === 'none' || !mayRead(who, state.region)) continue;
      targets.push(view(state, version));
    }
    return { targets };
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
    return view(state, version);
  }
}
