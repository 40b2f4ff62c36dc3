import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { isoDate, regionCode, type RegionCode } from '@tashghil/contracts';
import { EVENT_STORE, type EventStore } from '@tashghil/event-store';
import {
  ApiQuery,
  assertRegionAccess,
  identityOf,
  parseInput,
  type AuthedRequest,
  type Identity,
} from '@tashghil/service-kit';
import { z } from 'zod';
import { activeSchema, checksums, readSchema, rebuild } from '../read-model/generations';
import { LAYOUT } from '../read-model/layout';
import { endOfDay, reportAsOf } from './as-of';
import { CSV_BOM, reportToCsv } from './export/csv';
import { reportToPdf } from './export/pdf';
import { arabicFontMissing, DEJAVU_DIR, hasDejaVu } from './export/pdf-layout';
import { PACK_LANGS } from './export/pdf-words';
import { buildReport } from './report.query';
import type { CommitteeReport } from './report.types';

export const reportQuery = z.object({
  region: regionCode.optional(),
  asOf: isoDate.optional(),
});

/** The PDF pack takes a language as well; the JSON and CSV answers are the same in every language. */
export const pdfQuery = reportQuery.extend({ lang: z.enum(PACK_LANGS).optional() });

const NATIONAL_ROLES = ['admin', 'auditor'] as const;

/** `rapport-MA-10-2022-06-30`, `rapport-national-live`: a download names what it holds. */
const fileName = (r: CommitteeReport): string => `rapport-${r.scope.region ?? 'national'}-${r.asOf ?? 'live'}`;

/** The region a caller asked for, or theirs when they are bound to one; undefined is the national report. */
export const scopeFor = (who: Identity, asked: RegionCode | undefined): RegionCode | undefined => {
  const region =
    asked ??
    (who.roles.some((r) => (NATIONAL_ROLES as readonly string[]).includes(r))
      ? undefined
      : (who.region as RegionCode | undefined));
  assertRegionAccess(who, region ?? '*', 'read');
  return region;
};

/**
 * "As of" replays are kept while nothing recorded up to their day has changed: the key holds the
 * count of such events, so an event recorded later about an earlier instant (a late import) makes
 * a fresh replay.
 */
class AsOfCache {
  private readonly entries = new Map<string, Promise<CommitteeReport>>();

  constructor(private readonly size: number) {}

  async get(store: EventStore, asOf: string, region: RegionCode | undefined): Promise<CommitteeReport> {
    const { rows } = await store.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM es.events WHERE recorded_at <= $1::timestamptz`,
      [endOfDay(asOf)],
    );
    const key = `${asOf}|${region ?? '*'}|${rows[0]?.n ?? 0}`;
    let report = this.entries.get(key);
    if (!report) {
      report = reportAsOf(store, { asOf, ...(region ? { region } : {}) });
      this.entries.set(key, report);
      report.catch(() => this.entries.delete(key));
      if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    }
    return report;
  }
}

@Controller('reports')
export class ReportController {
  private readonly asOfCache = new AsOfCache(32);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The committee report for a region (or national), live or as it stood at the end of a day. */
  @Get('committee')
  async committee(@Query() raw: unknown, @Req() req: AuthedRequest): Promise<CommitteeReport> {
    const { region: asked, asOf } = parseInput(reportQuery, raw, 'query');
    const region = scopeFor(identityOf(req), asked);
    return this.report(region, asOf);
  }

  /** The same report as one long CSV table (UTF-8 with a BOM, for spreadsheets). */
  @Get('committee.csv')
  async committeeCsv(
    @Query() raw: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const report = await this.committee(raw, req);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${fileName(report)}.csv"`);
    return CSV_BOM + reportToCsv(report);
  }

  /** The same report as the committee's PDF pack, in French or, with `lang=ar`, in Arabic. */
  @Get('committee.pdf')
  @ApiQuery({
    region: "a region code (MA-01 … MA-12); omitted, the caller's own region, or national for an admin or auditor",
    asOf: 'YYYY-MM-DD: the report as it stood at the end of that day; omitted, live',
    lang: 'fr (the default) or ar: the pack in Arabic, right to left; 503 ARABIC_FONT_MISSING when the server lacks DejaVu Sans',
  })
  async committeePdf(@Query() raw: unknown, @Req() req: AuthedRequest): Promise<StreamableFile> {
    const { lang, ...query } = parseInput(pdfQuery, raw, 'query');
    if (lang === 'ar' && !hasDejaVu(DEJAVU_DIR)) throw arabicFontMissing(DEJAVU_DIR);
    const report = await this.committee(query, req);
    const name = `${fileName(report)}${lang === 'ar' ? '-ar' : ''}.pdf`;
    return new StreamableFile(await reportToPdf(report, { lang: lang ?? 'fr' }), {
      type: 'application/pdf',
      disposition: `attachment; filename="${name}"`,
    });
  }

  async report(region: RegionCode | undefined, asOf: string | undefined): Promise<CommitteeReport> {
    if (asOf) return this.asOfCache.get(this.store, asOf, region);
    const schema = await readSchema(this.store.db);
    return buildReport(this.store.db, schema, { ...(region ? { region } : {}), asOf: null, kind: 'live' });
  }

  /** The active generation of the read model and a checksum per table (admin, auditor). */
  @Get('read-model')
  async readModel(@Req() req: AuthedRequest) {
    assertRegionAccess(identityOf(req), '*', 'read', [...NATIONAL_ROLES]);
    const schema = await readSchema(this.store.db);
    return { schema, layout: LAYOUT, checksums: await checksums(this.store.db, schema) };
  }

  /** Rebuilds the read model from the store into a new generation, then switches to it (admin). */
  @Post('read-model/rebuild')
  @HttpCode(200)
  async rebuild(@Req() req: AuthedRequest) {
    assertRegionAccess(identityOf(req), '*', 'write', ['admin']);
    const started = Date.now();
    const before = await activeSchema(this.store.db);
    const result = await rebuild(this.store);
    return {
      previous: before?.schema ?? null,
      schema: result.schema,
      events: result.applied + result.caughtUp,
      caughtUpAtSwitch: result.caughtUp,
      ms: Date.now() - started,
      checksums: await checksums(this.store.db, result.schema),
    };
  }
}
