import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { isoDate, regionCode, type RegionCode } from '@tashghil/contracts';
import { EVENT_STORE, type EventStore, type Queryable } from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  identityOf,
  parseInput,
  type AuthedRequest,
  type Identity,
} from '@tashghil/service-kit';
import { z } from 'zod';
import { checksums, withActiveSchema } from '../read-model/generations';
import { RebuildJobs, type RebuildJob } from '../read-model/rebuild-jobs';
import { LAYOUT } from '../read-model/layout';
import { checkAsOf } from './as-of';
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
 * Computed reports, so that the JSON, the CSV and the PDF of one report are computed once. A report
 * is kept while its basis stands: the key holds the generation and the count of events it had taken
 * in up to the day asked (or in all, live), so anything applied since makes a fresh one.
 */
class ReportCache {
  private readonly entries = new Map<string, Promise<CommitteeReport>>();

  constructor(private readonly size: number) {}

  async get(
    q: Queryable,
    schema: string,
    region: RegionCode | undefined,
    asOf: string | undefined,
    build: () => Promise<CommitteeReport>,
  ): Promise<CommitteeReport> {
    const { rows } = await q.query<{ n: string | null }>(
      `SELECT sum(events)::text AS n FROM ${schema}.applied_days WHERE $1::date IS NULL OR day <= $1::date`,
      [asOf ?? null],
    );
    const key = `${schema}|${asOf ?? 'live'}|${region ?? '*'}|${rows[0]?.n ?? 0}`;
    let report = this.entries.get(key);
    if (!report) {
      report = build();
      this.entries.set(key, report);
      report.catch(() => this.entries.delete(key));
      if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    }
    return report;
  }
}

@Controller('reports')
export class ReportController {
  private readonly reports = new ReportCache(32);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RebuildJobs) private readonly jobs: RebuildJobs,
  ) {}

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

  /**
   * Live, or as of a day: both read the active generation, the second at the end of that day, in
   * one transaction that holds the generation for share (one snapshot; no switch or drop under it).
   */
  async report(region: RegionCode | undefined, asOf: string | undefined): Promise<CommitteeReport> {
    if (asOf) checkAsOf({ asOf, ...(region ? { region } : {}) });
    return withActiveSchema(this.store.db, (q, schema) =>
      this.reports.get(q, schema, region, asOf, () =>
        buildReport(q, schema, { ...(region ? { region } : {}), asOf: asOf ?? null, kind: asOf ? 'as_of' : 'live' }),
      ),
    );
  }

  /** The active generation of the read model and a checksum per table (admin, auditor). */
  @Get('read-model')
  @ApiQuery()
  async readModel(@Req() req: AuthedRequest) {
    assertRegionAccess(identityOf(req), '*', 'read', [...NATIONAL_ROLES]);
    return withActiveSchema(this.store.db, async (q, schema) => ({
      schema,
      layout: LAYOUT,
      checksums: await checksums(q, schema),
    }));
  }

  /**
   * Starts a rebuild of the read model from the store into a new generation, switched to when
   * complete (admin): 202 with the job, which `GET /reports/read-model/rebuilds/{id}` follows. 409
   * while another build (a replica's start, another job) holds the build lease.
   */
  @Post('read-model/rebuild')
  @HttpCode(202)
  @ApiCommand(
    'Start a rebuild of the read model from the store (admin): 202 with the job to follow; 409 while another build holds the build lease',
  )
  async rebuild(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<RebuildJob> {
    const who = identityOf(req);
    assertRegionAccess(who, '*', 'write', ['admin']);
    const job = await this.jobs.start(who.sub);
    res.setHeader('location', `/reports/read-model/rebuilds/${job.id}`);
    return job;
  }

  /**
   * A rebuild job: running (events done of total), done (the new generation and its checksums) or
   * failed (admin, auditor).
   */
  @Get('read-model/rebuilds/:id')
  @ApiQuery()
  async rebuildJob(@Param() params: unknown, @Req() req: AuthedRequest): Promise<RebuildJob> {
    // Job ids are UUIDs: anything else is a 400 naming the id, never a query the database refuses.
    const { id } = parseInput(z.object({ id: z.uuid() }), params, 'path');
    assertRegionAccess(identityOf(req), '*', 'read', [...NATIONAL_ROLES]);
    return this.jobs.get(id);
  }
}
