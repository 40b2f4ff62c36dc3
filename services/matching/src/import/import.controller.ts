import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  EVENT_STORE,
  EventStore,
  ForbiddenError,
  handleCommand,
  loadAggregate,
  NotFoundError,
  type Command,
  type CommandMetadata,
  type DecidedEvent,
} from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  commandMetadata,
  identityOf,
  parseInput,
  type AuthedRequest,
  type Role,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { readFileStreams, writeInChunks } from './import.chunks';
import { importDecider, importStreamId, importView, type ImportPlanned } from './import.decider';
import { ImportJobs } from './import.jobs';
import { offerImport, recordsIn, seekerImport, validRows, type CsvImport } from './import.rows';
import { MAX_LISTED_PROBLEMS, planImport, type ImportPlan, type RowProblem } from './import.workflow';

const IMPORTERS: readonly Role[] = ['officer', 'admin'];

const options = z.object({ skipBadRows: z.enum(['true', 'false']).default('false') });
const importParams = z.object({ id: z.string().regex(/^(seeker|offer)-[0-9a-f]{32}$/, 'is not an import id') });

/**
 * Files of more good rows than this answer 202 with an import resource and are written off the
 * request; smaller ones are written before the answer, as they always were. 2,000 seekers took
 * about a second to write here (1,900 to 3,000 rows/s on two cores shared with other work,
 * 2026-12-05): an answer a client may wait for.
 */
export const SYNC_ROWS = 2_000;

/** An import is named by its request's command id: the same Idempotency-Key from the same caller is the same import. */
export const importIdOf = (kind: string, commandId: string): string =>
  `${kind}-${createHash('sha256').update(`${kind}\n${commandId}`).digest('hex').slice(0, 32)}`;

const byLine = (problems: readonly RowProblem[]): RowProblem[] => [...problems].sort((a, b) => a.line - b.line);

/**
 * Bulk import for agencies moving in from other systems: the CSV parsed here, every row judged by the
 * import's workflow before anything is written (a file with a bad row stores nothing unless
 * `skipBadRows=true`), then the good rows written in chunks of short transactions. A large file
 * answers 202 with an import resource to follow; the same file sent again with the same
 * Idempotency-Key resumes it, writing only what is not stored yet.
 */
@ApiTags('imports')
@Controller('imports')
export class ImportController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ImportJobs) private readonly jobs: ImportJobs,
  ) {}

  private async import<C extends Command, S, E extends DecidedEvent, D extends { readonly region: string }>(
    req: AuthedRequest,
    res: Response,
    text: unknown,
    query: unknown,
    kind: CsvImport<C, S, E, D>,
  ) {
    const who = identityOf(req);
    // A caller who may register nothing anywhere is refused before the file is read, not row by row.
    if (!who.roles.some((r) => IMPORTERS.includes(r))) {
      throw new ForbiddenError(
        'ROLE_NOT_ALLOWED',
        `roles ${who.roles.join(', ')} may not import; it needs one of ${IMPORTERS.join(', ')}`,
      );
    }
    const { skipBadRows } = parseInput(options, query, 'query');
    const records = recordsIn(text);
    // The server reads the streams the file names while this process checks its rows.
    const reading = readFileStreams(
      this.store,
      kind.decider,
      records.flatMap((r) => ('values' in r ? [kind.streamOf(r.values[kind.idColumn] ?? '')] : [])),
    );
    reading.catch(() => undefined);
    const { rows, malformed } = validRows(records, kind.build, kind.schema);
    const metadata = commandMetadata(req);
    const stored = await readFileStreams(
      this.store,
      kind.decider,
      rows.map((r) => kind.streamOf(kind.idOf(r.data))),
      await reading,
    );
    const plan = planImport(kind, rows, malformed, (streamId) => stored.stateOf(streamId), {
      skipBadRows: skipBadRows === 'true',
      authorize: (region) => assertRegionAccess(who, region, 'write', IMPORTERS),
      metadata,
      applied: (streamId, commandId) => stored.applied(streamId, commandId),
      absent: (streamId) => stored.absent(streamId),
    });
    const rowsTotal = rows.length + malformed.length;
    if (plan.rows.length + plan.done <= SYNC_ROWS) {
      const written = await writeInChunks(this.store, plan.rows, this.jobs.chunks);
      return {
        imported: plan.done + written.rowsDone,
        rows: rowsTotal,
        skipped: byLine([...plan.problems, ...written.refused]).slice(0, MAX_LISTED_PROBLEMS),
        skippedCount: plan.problems.length + written.refused.length,
      };
    }
    const planned: ImportPlanned = {
      importId: importIdOf(kind.kind, metadata.commandId),
      kind: kind.kind,
      fileDigest: createHash('sha256')
        .update(text as string)
        .digest('hex'),
      skipBadRows: skipBadRows === 'true',
      rowsTotal,
      rowsToImport: plan.rows.length + plan.done,
      alreadyDone: plan.done,
      skipped: plan.problems,
      skippedCount: plan.problems.length,
      regions: plan.regions,
    };
    const view = await this.begin(planned, plan, metadata);
    res.status(view.status === 'completed' ? 200 : 202).setHeader('Location', `/imports/${planned.importId}`);
    return { ...view, skipped: plan.problems.slice(0, MAX_LISTED_PROBLEMS), skippedCount: plan.problems.length };
  }

  /** Records the start (or the resumption) and starts the writes, unless the import runs or is done already. */
  private async begin(planned: ImportPlanned, plan: ImportPlan, metadata: CommandMetadata) {
    const { importId } = planned;
    const streamId = importStreamId(importId);
    const now = new Date().toISOString();
    if (this.jobs.rowsDoneHere(importId) === undefined) {
      const started = await handleCommand(this.store, importDecider, streamId, {
        type: 'StartImport',
        data: planned,
        metadata: { ...metadata, now, commandId: `${metadata.commandId}:start:${now}` },
      });
      if (started.events.length > 0) this.jobs.start(importId, plan.rows, plan.done, metadata);
    }
    const { state } = await loadAggregate(this.store, importDecider, streamId);
    if (state.status === 'none') throw new Error(`import ${importId} has no record after its start`);
    return importView(state, now, this.jobs.rowsDoneHere(importId));
  }

  @Get(':id')
  @ApiQuery()
  @ApiResponse({ status: 200, description: 'the import: status, rows total, to import and done, the rows skipped' })
  async progress(@Param() params: unknown, @Req() req: AuthedRequest) {
    const { id } = parseInput(importParams, params, 'path');
    const { state } = await loadAggregate(this.store, importDecider, importStreamId(id));
    if (state.status === 'none') throw new NotFoundError('IMPORT_NOT_FOUND', `no import ${id}`);
    const who = identityOf(req);
    // Whoever reads the files of every region the import wrote to may follow it; an import of no good
    // row is the national scope's.
    for (const region of state.regions.length > 0 ? state.regions : ['*']) assertRegionAccess(who, region, 'read');
    return importView(state, new Date().toISOString(), this.jobs.rowsDoneHere(id));
  }

  @Post('seekers')
  @HttpCode(200)
  @ApiCommand('Import job seekers from CSV (columns as in POST /seekers; lists separated by |)')
  @ApiBody({
    description: 'text/csv',
    schema: {
      type: 'string',
      example:
        'seekerId,registeredOn,region,province,gender,birthDate,education,diploma,occupations,skills,languages,disability,pandemicJobLoss,area,mobility,fullName,cin,phone,email',
    },
  })
  @ApiConsumes('text/csv')
  @ApiResponse({
    status: 202,
    description: `a file of more than ${SYNC_ROWS} good rows: the import resource to follow`,
  })
  seekers(
    @Body() body: unknown,
    @Query() query: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.import(req, res, body, query, seekerImport);
  }

  @Post('offers')
  @HttpCode(200)
  @ApiCommand(
    'Import offers from CSV (employerKind, employerId, employerName, sector, then the fields of POST /offers)',
  )
  @ApiBody({
    description: 'text/csv',
    schema: {
      type: 'string',
      example:
        'offerId,employerKind,employerId,employerName,sector,region,province,abroadCountry,occupation,positions,requiredEducation,skills,contractType,mass,validUntil',
    },
  })
  @ApiConsumes('text/csv')
  @ApiResponse({
    status: 202,
    description: `a file of more than ${SYNC_ROWS} good rows: the import resource to follow`,
  })
  offers(
    @Body() body: unknown,
    @Query() query: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.import(req, res, body, query, offerImport);
  }
}
