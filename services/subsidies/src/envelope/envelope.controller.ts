import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { regionCode as region, REGIONS, slug, type RegionCode } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, loadAggregate, loadCategory, NotFoundError } from '@tashghil/event-store';
import {
  ApiQuery,
  assertRegionAccess,
  identityOf,
  mayRead,
  parseInput,
  type AuthedRequest,
} from '@tashghil/service-kit';
import { z } from 'zod';
import { ENVELOPE_CATEGORY, envelopeDecider, envelopeStreamId, type Envelope } from './envelope.decider';

const keyParams = z.object({
  region,
  programme: slug,
  year: z.coerce.number().int().min(2000).max(2100),
});
const listQuery = z.object({ region: region.optional() });

const view = (s: Extract<Envelope, { status: 'set' }>, version: number) => ({
  ...s.key,
  regionName: REGIONS[s.key.region as RegionCode],
  revision: s.revision,
  reference: s.reference,
  components: s.limits.map((l) => {
    const used = s.reserved[l.component] ?? { jobs: 0, centimes: 0 };
    return {
      component: l.component,
      targetJobs: l.targetJobs,
      reservedJobs: used.jobs,
      remainingJobs: l.targetJobs - used.jobs,
      ...(l.budgetCentimes === undefined
        ? {}
        : {
            budgetCentimes: l.budgetCentimes,
            committedCentimes: used.centimes,
            remainingCentimes: l.budgetCentimes - used.centimes,
          }),
    };
  }),
  files: s.holdings.size,
  releasedFiles: s.releasedFiles,
  version,
});

@ApiTags('envelopes')
@Controller('envelopes')
export class EnvelopeController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiQuery()
  async list(@Query() q: unknown, @Req() req: AuthedRequest) {
    const who = identityOf(req);
    const { region: wanted } = parseInput(listQuery, q, 'query');
    if (wanted) assertRegionAccess(who, wanted, 'read');
    const idPrefix = wanted ? `${ENVELOPE_CATEGORY}-${wanted.toLowerCase()}-` : undefined;
    const envelopes = [];
    for (const { state, version } of await loadCategory(
      this.store,
      envelopeDecider,
      ENVELOPE_CATEGORY,
      idPrefix ? { idPrefix } : {},
    )) {
      if (state.status === 'set' && mayRead(who, state.key.region)) envelopes.push(view(state, version));
    }
    return { envelopes };
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
    return view(state, version);
  }
}
