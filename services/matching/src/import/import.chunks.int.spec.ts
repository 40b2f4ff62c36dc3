import { handleCommand, openStore, testBackends, type EventStore, type TestDatabase } from '@tashghil/event-store';
import { at, seekerData } from '../placement/files.fixture';
import {
  seekerDecider,
  seekerStreamId,
  type SeekerCommand,
  type Seeker,
  type SeekerEvent,
} from '../seeker/seeker.decider';
import { ensureSeekerModel } from '../seeker/seeker.module';
import { readFileStreams, writeInChunks, type ChunkSettings } from './import.chunks';
import { planImport, type ImportKind, type ParsedRow } from './import.workflow';

const seekers: ImportKind<SeekerCommand, Seeker, SeekerEvent, ReturnType<typeof seekerData>> = {
  kind: 'seeker',
  decider: seekerDecider,
  idOf: (d) => d.seekerId,
  streamOf: seekerStreamId,
  command: (data, metadata) => ({ type: 'RegisterSeeker', data, metadata }),
  exists: (s) => s.status !== 'none',
};
/** Chunks of exactly 100 rows, so that a test stops after a known number of them. */
const FIXED: ChunkSettings = { chunkRows: 100, targetMs: 60_000, minRows: 100, maxRows: 100, inFlight: 2 };

const fileOf = (tag: string, rows: number): ParsedRow<ReturnType<typeof seekerData>>[] =>
  Array.from({ length: rows }, (_, i) => ({ line: i + 2, data: seekerData(`${tag}-${i}`) }));

/** The file checked against the store as the controller does, under the request's command id. */
const plan = async (store: EventStore, file: ParsedRow<ReturnType<typeof seekerData>>[], commandId: string) => {
  const stored = await readFileStreams(
    store,
    seekerDecider,
    file.map((r) => seekerStreamId(r.data.seekerId)),
  );
  return planImport(seekers, file, [], (id) => stored.stateOf(id), {
    skipBadRows: false,
    authorize: () => undefined,
    metadata: at('2024-03-01', commandId),
    applied: (id, command) => stored.applied(id, command),
  });
};

describe.each(testBackends().map((b) => [b.name, b] as const))('an import written in chunks, on %s', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  const stored = async (tag: string) => {
    const { rows } = await store.db.query<{ events: string; streams: string; listed: string }>(
      `SELECT count(*)::text AS events, count(DISTINCT stream_id)::text AS streams,
              (SELECT count(*) FROM q.seekers WHERE seeker_id LIKE $1)::text AS listed
         FROM es.events WHERE category = 'matching.seeker' AND stream_id LIKE 'matching.seeker-' || $1`,
      [`${tag}-%`],
    );
    return { events: Number(rows[0]?.events), streams: Number(rows[0]?.streams), listed: Number(rows[0]?.listed) };
  };

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    await ensureSeekerModel(store);
  });
  afterAll(() => database.dispose());

  it('stops between chunks, and a resend under the same key writes only the rest, each seeker once', async () => {
    const file = fileOf('chunk-a', 1_000);
    const first = await plan(store, file, 'importer:key-a');
    const stop = new AbortController();
    const interrupted = await writeInChunks(store, first.rows, FIXED, {
      signal: stop.signal,
      onChunk: ({ chunks }) => {
        if (chunks >= 3) stop.abort();
      },
    });
    expect(interrupted.stopped).toBe(true);
    // Two chunks in flight: the third stops it, and the one beside it still commits.
    expect([300, 400]).toContain(interrupted.rowsDone);
    expect(await stored('chunk-a')).toEqual({
      events: interrupted.rowsDone,
      streams: interrupted.rowsDone,
      listed: interrupted.rowsDone,
    });

    const again = await plan(store, file, 'importer:key-a');
    expect(again).toMatchObject({ done: interrupted.rowsDone, problems: [] });
    expect(again.rows).toHaveLength(1_000 - interrupted.rowsDone);
    const rest = await writeInChunks(store, again.rows, FIXED);
    expect(rest).toEqual({ rowsDone: 1_000 - interrupted.rowsDone, refused: [], stopped: false });
    expect(await stored('chunk-a')).toEqual({ events: 1_000, streams: 1_000, listed: 1_000 });

    // A third send finds every row done; the same rows under another key are registered already.
    expect(await plan(store, file, 'importer:key-a')).toMatchObject({ done: 1_000, rows: [] });
    await expect(plan(store, file, 'importer:key-b')).rejects.toMatchObject({ code: 'IMPORT_REJECTED' });
  });

  it('writes a chunk again as a repeat: the store answers it as done and stores nothing twice', async () => {
    const file = fileOf('chunk-b', 150);
    const planned = await plan(store, file, 'importer:key-c');
    await writeInChunks(store, planned.rows, FIXED);
    // A retry of chunks whose answer was lost: the same commands, decided on the streams as they are.
    const repeat = await writeInChunks(store, planned.rows, FIXED);
    expect(repeat).toMatchObject({ rowsDone: 150, refused: [] });
    expect(await stored('chunk-b')).toEqual({ events: 150, streams: 150, listed: 150 });
  });

  it('reports a row another request registered after the check, and writes the others', async () => {
    const file = fileOf('chunk-c', 250);
    const planned = await plan(store, file, 'importer:key-d');
    await handleCommand(store, seekerDecider, seekerStreamId('chunk-c-120'), {
      type: 'RegisterSeeker',
      data: seekerData('chunk-c-120'),
      metadata: at('2024-03-01', 'someone-else'),
    });
    const outcome = await writeInChunks(store, planned.rows, FIXED);
    expect(outcome.rowsDone).toBe(249);
    expect(outcome.refused).toEqual([
      { line: 122, errors: [{ path: 'row', message: expect.stringMatching(/^SEEKER_ALREADY_REGISTERED: /) }] },
    ]);
    expect(await stored('chunk-c')).toEqual({ events: 250, streams: 250, listed: 250 });
  });

  it('grows its chunks while they are quick and keeps them within bounds', async () => {
    const file = fileOf('chunk-d', 700);
    const planned = await plan(store, file, 'importer:key-e');
    const sizes: number[] = [];
    let before = 0;
    await writeInChunks(
      store,
      planned.rows,
      { chunkRows: 50, targetMs: 60_000, minRows: 50, maxRows: 200, inFlight: 1 },
      {
        onChunk: ({ rowsDone }) => {
          sizes.push(rowsDone - before);
          before = rowsDone;
        },
      },
    );
    expect(sizes.slice(0, 4)).toEqual([50, 75, 113, 170]);
    expect(Math.max(...sizes)).toBe(200);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(700);
  });
});
