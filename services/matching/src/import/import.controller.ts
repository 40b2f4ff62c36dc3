import { Body, Controller, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  EVENT_STORE,
  EventStore,
  ForbiddenError,
  handleWorkflow,
  loadStreams,
  ValidationError,
  type Command,
  type DecidedEvent,
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
import { offerDecider, offerStreamId, type Offer, type OfferCommand, type OfferEvent } from '../offer/offer.decider';
import { registerBody } from '../seeker/seeker.controller';
import {
  seekerDecider,
  seekerStreamId,
  type Seeker,
  type SeekerCommand,
  type SeekerEvent,
} from '../seeker/seeker.decider';
import { CsvSyntaxError, flag, list, parseCsv, recordsOf } from './csv';
import { planImport, type ImportKind, type ParsedRow, type RowProblem } from './import.workflow';

const IMPORTERS: readonly Role[] = ['officer', 'admin'];

const options = z.object({ skipBadRows: z.enum(['true', 'false']).default('false') });

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

const seekerImport: ImportKind<SeekerCommand, Seeker, SeekerEvent, z.infer<typeof registerBody>> = {
  kind: 'seeker',
  decider: seekerDecider,
  idOf: (d) => d.seekerId,
  streamOf: seekerStreamId,
  command: (data, metadata) => ({ type: 'RegisterSeeker', data, metadata }),
  exists: (s) => s.status !== 'none',
};

const offerImport: ImportKind<OfferCommand, Offer, OfferEvent, z.infer<typeof receiveBody>> = {
  kind: 'offer',
  decider: offerDecider,
  idOf: (d) => d.offerId,
  streamOf: offerStreamId,
  command: (data, metadata) => ({ type: 'ReceiveOffer', data, metadata }),
  exists: (s) => s.status !== 'none',
};

/** The CSV's rows in the shape of the command's data, and the rows that are not. */
const parseRows = <D>(
  text: unknown,
  build: (v: Record<string, string>) => unknown,
  schema: ZodType<D>,
): { rows: ParsedRow<D>[]; malformed: RowProblem[] } => {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValidationError('EMPTY_FILE', 'send the CSV as the body, with Content-Type: text/csv', [
      { path: 'body', message: 'no CSV text' },
    ]);
  }
  let parsed: ReturnType<typeof recordsOf>;
  try {
    parsed = recordsOf(parseCsv(text));
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new ValidationError('CSV_SYNTAX', error.message, [{ path: `line ${error.line}`, message: error.message }]);
    throw error;
  }
  // A header alone (or a body that is not CSV at all) imports nothing; a 200 would read as done.
  if (parsed.records.length === 0) {
    throw new ValidationError('EMPTY_FILE', 'the file has no row under its header line', [
      { path: 'body', message: 'no data row' },
    ]);
  }
  const rows: ParsedRow<D>[] = [];
  const malformed: RowProblem[] = [];
  for (const record of parsed.records) {
    if ('error' in record) {
      malformed.push({ line: record.line, errors: [{ path: 'row', message: record.error }] });
      continue;
    }
    const result = schema.safeParse(build(record.values));
    if (!result.success) {
      malformed.push({
        line: record.line,
        errors: result.error.issues.map((i) => ({ path: i.path.join('.') || 'row', message: i.message })),
      });
      continue;
    }
    const unstorable = unstorableText(result.data, 'row');
    if (unstorable.length > 0) malformed.push({ line: record.line, errors: unstorable });
    else rows.push({ line: record.line, data: result.data });
  }
  return { rows, malformed };
};

/**
 * Bulk import for agencies moving in from other systems: the CSV parsed here, every row judged by the
 * import's workflow before anything is written, and all good rows written in one transaction. A file
 * with a bad row stores nothing unless `skipBadRows=true`.
 */
@ApiTags('imports')
@Controller('imports')
export class ImportController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  private async import<C extends Command, S, E extends DecidedEvent, D extends { readonly region: string }>(
    req: AuthedRequest,
    text: unknown,
    query: unknown,
    kind: ImportKind<C, S, E, D>,
    build: (v: Record<string, string>) => unknown,
    schema: ZodType<D>,
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
    const { rows, malformed } = parseRows(text, build, schema);
    const states = await loadStreams(
      this.store,
      kind.decider,
      rows.map((r) => kind.streamOf(kind.idOf(r.data))),
    );
    const plan = planImport(
      kind,
      rows,
      malformed,
      (streamId) => states.get(streamId)?.state ?? kind.decider.initialState(),
      {
        skipBadRows: skipBadRows === 'true',
        authorize: (region) => assertRegionAccess(who, region, 'write', IMPORTERS),
        metadata: commandMetadata(req),
      },
    );
    await handleWorkflow(this.store, plan.steps);
    return { imported: plan.steps.length, rows: rows.length + malformed.length, skipped: plan.problems };
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
    return this.import(req, body, query, seekerImport, seekerRow, registerBody);
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
    return this.import(req, body, query, offerImport, offerRow, receiveBody);
  }
}
