import { REGIONS, type RegionCode } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { rowsAt } from '../read-model/bitemporal';
import { assertSchemaName } from '../read-model/layout';

interface Row {
  convention_id: string;
  region: RegionCode;
  title: string;
  period_start: string;
  period_end: string;
  status: string;
  drafted_at: string;
}

export interface ConventionsByRegion {
  readonly regions: readonly {
    readonly region: RegionCode;
    readonly name: (typeof REGIONS)[RegionCode];
    readonly conventions: readonly {
      readonly conventionId: string;
      readonly title: string;
      readonly period: { readonly start: string; readonly end: string };
      readonly status: string;
      readonly draftedAt: string;
    }[];
  }[];
}

/**
 * The conventions of one region (or of all when null) as they stand now. The table keeps a version
 * of a convention per change on recorded time (a draft, then its signature, its amendments), so
 * only the current versions are listed: one per convention.
 */
export const conventionsByRegion = async (
  q: Queryable,
  schema: string,
  region: RegionCode | null,
): Promise<ConventionsByRegion> => {
  const s = assertSchemaName(schema);
  const { rows } = await q.query<Row>(
    `SELECT convention_id, region, title, to_char(period_start, 'YYYY-MM-DD') AS period_start,
            to_char(period_end, 'YYYY-MM-DD') AS period_end, status,
            to_char(drafted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS drafted_at
       FROM ${rowsAt(s, 'conventions', null)} c WHERE ($1::text IS NULL OR region = $1) ORDER BY region, convention_id`,
    [region],
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
};
