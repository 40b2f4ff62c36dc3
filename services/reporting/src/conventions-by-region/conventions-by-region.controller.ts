import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { regionCode, REGIONS, type RegionCode } from '@tashghil/contracts';
import { SQL_CLIENT, type SqlClient } from '@tashghil/event-store';
import { identityOf, parseInput, type AuthedRequest } from '@tashghil/service-kit';
import { z } from 'zod';
import { readSchema } from '../read-model/generations';
import { scopeFor } from '../report/report.controller';

const query = z.object({ region: regionCode.optional() });

interface Row {
  convention_id: string;
  region: RegionCode;
  title: string;
  period_start: string;
  period_end: string;
  status: string;
  drafted_at: string;
}

@Controller('reports/conventions')
export class ConventionsByRegionController {
  constructor(@Inject(SQL_CLIENT) private readonly db: SqlClient) {}

  /** Conventions per region; a region-scoped caller sees only their own region. */
  @Get()
  async list(@Query() raw: unknown, @Req() req: AuthedRequest) {
    const { region: asked } = parseInput(query, raw, 'query');
    const region = scopeFor(identityOf(req), asked);
    const s = await readSchema(this.db);
    const { rows } = await this.db.query<Row>(
      `SELECT convention_id, region, title, to_char(period_start, 'YYYY-MM-DD') AS period_start,
              to_char(period_end, 'YYYY-MM-DD') AS period_end, status,
              to_char(drafted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS drafted_at
         FROM ${s}.conventions WHERE ($1::text IS NULL OR region = $1) ORDER BY region, convention_id`,
      [region ?? null],
    );
    const regions = new Map<RegionCode, Row[]>();
    for (const r of rows) regions.set(r.region, [...(regions.get(r.region) ?? []), r]);
    return {
      regions: [...regions].map(([code, list]) => ({
        region: code,
        name: REGIONS[code],
        conventions: list.map((r) => ({
          conventionId: r.convention_id,
          title: r.title,
          period: { start: r.period_start, end: r.period_end },
          status: r.status,
          draftedAt: r.drafted_at,
        })),
      })),
    };
  }
}
