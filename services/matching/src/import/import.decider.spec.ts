import { givenFor } from '@tashghil/testing';
import {
  importDecider,
  importView,
  PROBLEMS_KEPT,
  STALL_MS,
  type ImportCommand,
  type ImportEvent,
  type ImportPlanned,
} from './import.decider';

const given = givenFor(importDecider);
const at = (now: string) => ({
  now,
  actor: 'officer-ma09',
  roles: ['officer'],
  region: 'MA-09',
  correlationId: 'c',
  commandId: `k-${now}`,
});
type Of<T extends ImportCommand['type']> = Extract<ImportCommand, { type: T }>;
const cmd = <T extends ImportCommand['type']>(type: T, data: Of<T>['data'], now = '2026-12-05T10:00:00.000Z'): Of<T> =>
  ({ type, data, metadata: at(now) }) as unknown as Of<T>;

const planned: ImportPlanned = {
  importId: 'seeker-0123456789abcdef0123456789abcdef',
  kind: 'seeker',
  fileDigest: 'a'.repeat(64),
  skipBadRows: true,
  rowsTotal: 5_001,
  rowsToImport: 5_000,
  alreadyDone: 0,
  skipped: [{ line: 7, errors: [{ path: 'gender', message: 'Invalid option' }] }],
  skippedCount: 1,
  regions: ['MA-09'],
};
const started: ImportEvent = {
  type: 'ImportStarted',
  data: { ...planned, on: '2026-12-05T10:00:00.000Z', by: 'officer-ma09' },
};
const progressed = (rowsDone: number, on: string): ImportEvent => ({
  type: 'ImportProgressed',
  data: { importId: planned.importId, rowsDone, on, refused: [] },
});
const interrupted: ImportEvent = {
  type: 'ImportInterrupted',
  data: { importId: planned.importId, rowsDone: 2_000, on: '2026-12-05T10:00:02.000Z', reason: 'stopped' },
};

describe('an import', () => {
  it('starts with what the file check found', () => {
    given([]).when(cmd('StartImport', planned)).then([started]);
  });

  it('keeps only the first skipped rows in its events, and counts them all', () => {
    const many = Array.from({ length: PROBLEMS_KEPT + 5 }, (_, i) => ({ line: i + 2, errors: [] }));
    const [event] = given([])
      .when(cmd('StartImport', { ...planned, skipped: many, skippedCount: many.length }))
      .events();
    expect(event?.type === 'ImportStarted' && event.data.skipped.length).toBe(PROBLEMS_KEPT);
    expect(event?.type === 'ImportStarted' && event.data.skippedCount).toBe(PROBLEMS_KEPT + 5);
  });

  it('resumes an interrupted import of the same file, from what is stored', () => {
    const resumed = cmd('StartImport', { ...planned, alreadyDone: 2_000 }, '2026-12-05T10:05:00.000Z');
    given([started, progressed(2_000, '2026-12-05T10:00:01.000Z'), interrupted])
      .when(resumed)
      .then([
        {
          type: 'ImportResumed',
          data: { ...planned, alreadyDone: 2_000, on: '2026-12-05T10:05:00.000Z', by: 'officer-ma09' },
        },
      ]);
  });

  it('resumes a running import only once it has stalled: a live run on another replica goes on', () => {
    const soon = cmd('StartImport', planned, '2026-12-05T10:00:10.000Z');
    expect(
      given([started, progressed(500, '2026-12-05T10:00:01.000Z')])
        .when(soon)
        .events(),
    ).toEqual([]);
    const late = new Date(Date.parse('2026-12-05T10:00:01.000Z') + STALL_MS).toISOString();
    expect(
      given([started, progressed(500, '2026-12-05T10:00:01.000Z')])
        .when(cmd('StartImport', planned, late))
        .events()
        .map((e) => e.type),
    ).toEqual(['ImportResumed']);
  });

  it('refuses the same key with another file', () => {
    given([started])
      .when(cmd('StartImport', { ...planned, fileDigest: 'b'.repeat(64) }))
      .thenThrows('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers a completed import with nothing to do', () => {
    const completed: ImportEvent = {
      type: 'ImportCompleted',
      data: { importId: planned.importId, rowsDone: 5_000, on: '2026-12-05T10:00:03.000Z', refused: [] },
    };
    given([started, completed])
      .when(cmd('StartImport', planned, '2026-12-05T11:00:00.000Z'))
      .then([]);
  });

  it('records progress and the end only while it runs', () => {
    given([started])
      .when(cmd('FinishImport', { rowsDone: 5_000, refused: [] }))
      .then([
        {
          type: 'ImportCompleted',
          data: { importId: planned.importId, rowsDone: 5_000, on: '2026-12-05T10:00:00.000Z', refused: [] },
        },
      ]);
    given([started, interrupted])
      .when(cmd('RecordImportProgress', { rowsDone: 2_500, refused: [] }))
      .then([]);
    given([])
      .when(cmd('StopImport', { rowsDone: 0, outcome: 'failed', reason: 'x' }))
      .then([]);
  });

  it('shows its progress, never going back, and a run that went silent as stalled', () => {
    const state = [
      started,
      progressed(3_000, '2026-12-05T10:00:01.000Z'),
      progressed(2_000, '2026-12-05T10:00:02.000Z'),
    ].reduce(importDecider.evolve, importDecider.initialState());
    if (state.status === 'none') throw new Error('expected an import');
    expect(importView(state, '2026-12-05T10:00:03.000Z')).toMatchObject({
      status: 'running',
      rowsDone: 3_000,
      rowsTotal: 5_001,
      skippedCount: 1,
    });
    const silent = new Date(Date.parse('2026-12-05T10:00:02.000Z') + STALL_MS).toISOString();
    expect(importView(state, silent).status).toBe('stalled');
    expect(importView(state, silent, 4_000)).toMatchObject({ status: 'running', rowsDone: 4_000 });
  });
});
