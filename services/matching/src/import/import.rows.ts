import { ValidationError, type Command, type DecidedEvent } from '@tashghil/event-store';
import { unstorableText } from '@tashghil/service-kit';
import type { z, ZodType } from 'zod';
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
import type { ImportKind, ParsedRow, RowProblem } from './import.workflow';

type CsvRecords = ReturnType<typeof recordsOf>['records'];

/** A kind of file as the controller reads it: its workflow, and how a CSV record becomes its command's data. */
export interface CsvImport<C extends Command, S, E extends DecidedEvent, D extends { readonly region: string }>
  extends ImportKind<C, S, E, D> {
  readonly build: (v: Record<string, string>) => unknown;
  readonly schema: ZodType<D>;
  /** The id column, read before the row is checked, so that its stream is read meanwhile. */
  readonly idColumn: string;
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

export const seekerImport: CsvImport<SeekerCommand, Seeker, SeekerEvent, z.infer<typeof registerBody>> = {
  kind: 'seeker',
  build: seekerRow,
  schema: registerBody,
  idColumn: 'seekerId',
  decider: seekerDecider,
  idOf: (d) => d.seekerId,
  streamOf: seekerStreamId,
  command: (data, metadata) => ({ type: 'RegisterSeeker', data, metadata }),
  exists: (s) => s.status !== 'none',
};

export const offerImport: CsvImport<OfferCommand, Offer, OfferEvent, z.infer<typeof receiveBody>> = {
  kind: 'offer',
  build: offerRow,
  schema: receiveBody,
  idColumn: 'offerId',
  decider: offerDecider,
  idOf: (d) => d.offerId,
  streamOf: offerStreamId,
  command: (data, metadata) => ({ type: 'ReceiveOffer', data, metadata }),
  exists: (s) => s.status !== 'none',
};

/** The file's records under its header: refuses an empty body, a body that is no CSV, and a header alone. */
export const recordsIn = (text: unknown): CsvRecords => {
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
  return parsed.records;
};

/** The records in the shape of the command's data, and the records that are not. */
export const validRows = <D>(
  records: CsvRecords,
  build: (v: Record<string, string>) => unknown,
  schema: ZodType<D>,
): { rows: ParsedRow<D>[]; malformed: RowProblem[] } => {
  const rows: ParsedRow<D>[] = [];
  const malformed: RowProblem[] = [];
  for (const record of records) {
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
