import { Body, Controller, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  DomainError,
  EVENT_STORE,
  EventStore,
  ForbiddenError,
  toNewEvents,
  ValidationError,
  type Command,
  type DecidedEvent,
  type Decider,
} from '@tashghil/event-store';
import {
  ApiCommand,
  assertRegionAccess,
  commandMetadata,
  identityOf,
  parseInput,
  unstorableText,
  type AuthedRequest,
  type Role,
} from '@tashghil/service-kit';
import { z, type ZodType } from 'zod';
import { receiveBody } from '../offer/offer.controller';
import { offerDecider, offerStreamId, type OfferCommand } from '../offer/offer.decider';
import { registerBody } from '../seeker/seeker.controller';
import { seekerDecider, seekerStreamId, type SeekerCommand } from '../seeker/seeker.decider';
import { CsvSyntaxError, flag, list, parseCsv, recordsOf } from './csv';

const IMPORTERS: readonly Role[] = ['officer', 'admin'];

const options = z.object({ skipBadRows: z.enum(['true', 'false']).default('false') });

interface RowProblem {
  readonly line: number;
  readonly errors: ReadonlyArray<{ readonly path: string; readonly message: string }>;
}

const seekerRow = (v: Record<string, string>): unknown => ({
  ...v,
  diploma: v.diploma || undefined,
  phone: v.phone || undefined,
  email: v.email || undefined,
  occupations: list(v.occupations),
  skills: list(v.skills),
  languages: list(v.languages),
  disability: flag(v.disability),
  pandemicJobLoss: flag(v.pandemicJobLoss),
});

const offerRow = (v: Record<string, string>): unknown => ({
  offerId: v.offerId,
  employer: { kind: v.employerKind, id: v.employerId, name: v.employerName, sector: v.sector },
  region: v.region,
  province: v.province,
  abroadCountry: v.abroadCountry || undefined,
  occupation: v.occupation,
  positions: Number(v.positions),
  requiredEducation: v.requiredEducation,
  skills: list(v.skills),
  contractType: v.contractType,
  mass: flag(v.mass),
  validUntil: v.validUntil,
});

/**
 * Bulk import for agencies moving in from other systems. Every row is checked (shape, the
 * caller's region, the file's own duplicates, and the aggregate's rules) before anything is
 * written; then all good rows are written in one transaction. A file with a bad row stores
 * nothing unless `skipBadRows=true`.
 */
@ApiTags('imports')
@Controller('imports')
export class ImportController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  private async import<C extends Command, S, E extends DecidedEvent>(
    req: AuthedRequest,
    text: unknown,
    query: unknown,
    kind: 'seeker' | 'offer',
    build: (v: Record<string, string>) => unknown,
    schema: ZodType<C['data'] & { region: string }>,
    idOf: (d: C['data']) => string,
    streamOf: (id: string) => string,
    decider: Decider<C, S, E>,
    type: C['type'],
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
    if (typeof text !== 'string' || text.trim() === '') {
      throw new ValidationError('EMPTY_FILE', 'send the CSV as the body, with Content-Type: text/csv', [
        { path: 'body', message: 'no CSV text' },
      ]);
    }
    let parsed;
    try {
      parsed = recordsOf(parseCsv(text));
    } catch (error) {
      if (error instanceof CsvSyntaxError)
        throw new ValidationError('CSV_SYNTAX', error.message, [
          { path: `line ${error.line}`, message: error.message },
        ]);
      throw error;
    }
    // A header alone (or a body that is not CSV at all) imports nothing; a 200 would read as done.
    if (parsed.records.length === 0) {
      throw new ValidationError('EMPTY_FILE', 'the file has no row under its header line', [
        { path: 'body', message: 'no data row' },
      ]);
    }
    const base = commandMetadata(req);
    const problems: RowProblem[] = [];
    const seen = new Set<string>();
    const good: Array<{ streamId: string; command: C; events: readonly E[] }> = [];
    const outOfScope: ForbiddenError[] = [];
    for (const record of parsed.records) {
      if ('error' in record) {
        problems.push({ line: record.line, errors: [{ path: 'row', message: record.error }] });
        continue;
      }
      const result = schema.safeParse(build(record.values));
      if (!result.success) {
        problems.push({
          line: record.line,
          errors: result.error.issues.map((i) => ({ path: i.path.join('.') || 'row', message: i.message })),
        });
        continue;
      }
      const unstorable = unstorableText(result.data, 'row');
      if (unstorable.length > 0) {
        problems.push({ line: record.line, errors: unstorable });
        continue;
      }
      const data = result.data;
      const id = idOf(data);
      try {
        if (seen.has(id))
          throw new ValidationError('DUPLICATE_IN_FILE', `${kind} ${id} appears twice in the file`, [
            { path: `${kind}Id`, message: 'repeated in the file' },
          ]);
        seen.add(id);
        assertRegionAccess(who, data.region, 'write', IMPORTERS);
        const streamId = streamOf(id);
        if ((await this.store.streamVersion(streamId)) >= 0)
          throw new ValidationError('ALREADY_EXISTS', `${kind} ${id} is already registered`, [
            { path: `${kind}Id`, message: 'already registered' },
          ]);
        const command = {
          type,
          data,
          metadata: { ...base, commandId: `${base.commandId}:${record.line}` },
        } as unknown as C;
        good.push({ streamId, command, events: decider.decide(command, decider.initialState()) });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error instanceof ForbiddenError) outOfScope.push(error);
        const fields =
          error instanceof ValidationError && error.fields.length
            ? error.fields
            : [{ path: 'row', message: error.message }];
        problems.push({
          line: record.line,
          errors: fields.map((f) => ({ path: f.path, message: `${error.code}: ${f.message}` })),
        });
      }
    }
    // A file wholly of other regions is another region's file: refused as a single POST would be.
    const [firstOutOfScope] = outOfScope;
    if (firstOutOfScope && outOfScope.length === parsed.records.length) throw firstOutOfScope;
    if (problems.length > 0 && skipBadRows === 'false') {
      throw new ValidationError(
        'IMPORT_REJECTED',
        `${problems.length} of ${parsed.records.length} rows are invalid; nothing was stored`,
        problems.flatMap((p) => p.errors.map((e) => ({ path: `line ${p.line}: ${e.path}`, message: e.message }))),
      );
    }
    await this.store.db.transaction(async (tx) => {
      for (const g of good)
        await this.store.appendInTransaction(tx, g.streamId, toNewEvents(g.command, g.events), 'no_stream');
    });
    return { imported: good.length, rows: parsed.records.length, skipped: problems };
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
  seekers(@Body() body: unknown, @Query() query: unknown, @Req() req: AuthedRequest) {
    return this.import<SeekerCommand, unknown, DecidedEvent>(
      req,
      body,
      query,
      'seeker',
      seekerRow,
      registerBody as never,
      (d) => (d as { seekerId: string }).seekerId,
      seekerStreamId,
      seekerDecider as never,
      'RegisterSeeker',
    );
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
  offers(@Body() body: unknown, @Query() query: unknown, @Req() req: AuthedRequest) {
    return this.import<OfferCommand, unknown, DecidedEvent>(
      req,
      body,
      query,
      'offer',
      offerRow,
      receiveBody as never,
      (d) => (d as { offerId: string }).offerId,
      offerStreamId,
      offerDecider as never,
      'ReceiveOffer',
    );
  }
}
