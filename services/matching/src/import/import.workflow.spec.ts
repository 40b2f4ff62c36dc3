import { ForbiddenError, givenStreams, type DomainError } from '@tashghil/event-store';
import { at, registeredSeeker, seekerData } from '../placement/files.fixture';
import {
  seekerDecider,
  seekerStreamId,
  type RegisterSeeker,
  type Seeker,
  type SeekerCommand,
  type SeekerEvent,
} from '../seeker/seeker.decider';
import { planImport, type ImportKind, type ImportOptions, type ParsedRow } from './import.workflow';

const seekers: ImportKind<SeekerCommand, Seeker, SeekerEvent, RegisterSeeker['data']> = {
  kind: 'seeker',
  decider: seekerDecider,
  idOf: (d) => d.seekerId,
  streamOf: seekerStreamId,
  command: (data, metadata) => ({ type: 'RegisterSeeker', data, metadata }),
  exists: (s) => s.status !== 'none',
};
const onlyMa09 = (region: string) => {
  if (region !== 'MA-09') throw new ForbiddenError('REGION_NOT_ALLOWED', `not ${region}`);
};
const options = (skipBadRows = false): ImportOptions => ({
  skipBadRows,
  authorize: onlyMa09,
  metadata: at('2024-03-01', 'import-1'),
});
const row = (
  line: number,
  seekerId: string,
  patch: Partial<RegisterSeeker['data']> = {},
): ParsedRow<RegisterSeeker['data']> => ({
  line,
  data: seekerData(seekerId, patch),
});
const existing = registeredSeeker('imp-known');
const stateOf = (streamId: string): Seeker =>
  (streamId === seekerStreamId('imp-known') ? existing : []).reduce(seekerDecider.evolve, seekerDecider.initialState());
const refusal = (plan: () => unknown): DomainError => {
  try {
    plan();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the import refused');
};

describe('a CSV import', () => {
  it('registers every good row, each under the request’s command id and its line', () => {
    const plan = planImport(seekers, [row(2, 'imp-1'), row(3, 'imp-2')], [], stateOf, options());
    expect(plan.problems).toEqual([]);
    const decided = givenStreams({}).when(plan.steps).events();
    expect(Object.keys(decided)).toEqual([seekerStreamId('imp-1'), seekerStreamId('imp-2')]);
    expect(plan.steps.map((s) => s.command.metadata.commandId)).toEqual(['import-1:2', 'import-1:3']);
  });

  it('stores nothing from a file with a bad row, and names each bad row by its line', () => {
    const rows = [
      row(2, 'imp-1'),
      row(3, 'imp-known'),
      row(4, 'imp-3', { region: 'MA-04' }),
      row(5, 'imp-1'),
      row(6, 'imp-6', { birthDate: '2020-01-01' }),
    ];
    const malformed = [{ line: 7, errors: [{ path: 'gender', message: 'Invalid enum value' }] }];
    const error = refusal(() => planImport(seekers, rows, malformed, stateOf, options()));
    expect(error.code).toBe('IMPORT_REJECTED');
    expect((error.details?.fields as Array<{ path: string; message: string }>).map((f) => f.path)).toEqual([
      'line 3: seekerId',
      'line 4: row',
      'line 5: seekerId',
      'line 6: birthDate',
      'line 7: gender',
    ]);
  });

  it('imports the good rows when asked to skip the bad ones', () => {
    const plan = planImport(seekers, [row(2, 'imp-1'), row(3, 'imp-known')], [], stateOf, options(true));
    expect(plan.steps).toHaveLength(1);
    expect(plan.problems).toEqual([
      { line: 3, errors: [{ path: 'seekerId', message: 'ALREADY_EXISTS: already registered' }] },
    ]);
  });

  it('refuses a file wholly of another region as a single request would be', () => {
    const rows = [row(2, 'imp-1', { region: 'MA-04' }), row(3, 'imp-2', { region: 'MA-04' })];
    expect(refusal(() => planImport(seekers, rows, [], stateOf, options(true))).code).toBe('REGION_NOT_ALLOWED');
  });

  it('counts a row an earlier send under the same key stored as done: neither a step nor a problem', () => {
    const applied = (streamId: string, commandId: string) =>
      streamId === seekerStreamId('imp-known') && commandId === 'import-1:3';
    const plan = planImport(seekers, [row(2, 'imp-1'), row(3, 'imp-known')], [], stateOf, {
      ...options(),
      applied,
    });
    expect(plan).toMatchObject({ done: 1, problems: [], regions: ['MA-09'] });
    expect(plan.rows.map((r) => r.line)).toEqual([2]);
  });
});
