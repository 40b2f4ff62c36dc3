import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { regionCode } from '@tashghil/contracts';
import { SQL_CLIENT, type SqlClient } from '@tashghil/event-store';
import { identityOf, parseInput, type AuthedRequest } from '@tashghil/service-kit';
import { z } from 'zod';
import { readSchema } from '../read-model/generations';
import { scopeFor } from '../report/report.controller';
import { conventionsByRegion } from './conventions-by-region.query';

const query = z.object({ region: regionCode.optional() });

@Controller('reports/conventions')
export class ConventionsByRegionController {
  constructor(@Inject(SQL_CLIENT) private readonly db: SqlClient) {}

  /** Conventions per region; a region-scoped caller sees only their own region. */
  @Get()
  async list(@Query() raw: unknown, @Req() req: AuthedRequest) {
    const { region: asked } = parseInput(query, raw, 'query');
    const region = scopeFor(identityOf(req), asked);
    return conventionsByRegion(this.db, await readSchema(this.db), region ?? null);
  }
}
