import { randomUUID } from 'node:crypto';
import { handleCommand, handleWorkflow } from './command-handler';
import type { EventStore } from './event-store';
import { ensureQueryModel, selectPage, sql, type ModelledDecider, type QueryModel } from './query-model';
import { openStore, testBackends, type TestDatabase } from './test-backends';
import { step } from './workflow';
import { type Account, type AccountCommand, type AccountEvent, accountDecider, metadata } from './workflow.spec-helper';

/** Accounts listed by balance; the owner's name is personal and stays out of the table. */
const accountsModel = (category: string, extra = false): QueryModel<Account> => ({
  table: `q.${category.replace('.', '_')}`,
  category,
  columns: { balance: 'bigint', band: 'text', ...(extra ? { tags: 'text[]' } : {}) },
  indexes: ['band, balance DESC, stream_id DESC'],
  row: (state) =>
    state.open
      ? { balance: state.balance, band: state.balance >= 100 ? 'high' : 'low', ...(extra ? { tags: ['a', 'b'] } : {}) }
      : null,
});

const modelled = (model: QueryModel<Account>): ModelledDecider<AccountCommand, Account, AccountEvent> => ({
  ...accountDecider,
  queryModel: model,
});

describe.each(testBackends().map((b) => [b.name, b] as const))('query models on %s', (_name, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
  });
  afterAll(() => database.dispose());

  const category = () => `qm.acct${randomUUID().slice(0, 8)}`;
  const run = (
    decider: ModelledDecider<AccountCommand, Account, AccountEvent>,
    streamId: string,
    command: AccountCommand,
  ) => handleCommand(store, decider, streamId, command);
  const open = (decider: ModelledDecider<AccountCommand, Account, AccountEvent>, streamId: string) =>
    run(decider, streamId, { type: 'Open', data: { owner: 'amina' }, metadata: metadata(randomUUID()) });
  const deposit = (decider: ModelledDecider<AccountCommand, Account, AccountEvent>, streamId: string, amount: number) =>
    run(decider, streamId, { type: 'Deposit', data: { amount }, metadata: metadata(randomUUID()) });

  it('writes the row with the append, so the next read sees it, and keeps nothing personal', async () => {
    const cat = category();
    const decider = modelled(accountsModel(cat));
    await ensureQueryModel(store, decider);
    const id = `${cat}-1`;
    await open(decider, id);
    await deposit(decider, id, 150);
    const { rows } = await store.db.query<Record<string, unknown>>(`SELECT * FROM q.${cat.replace('.', '_')}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ stream_id: id, band: 'high' });
    expect(Number(rows[0]?.balance)).toBe(150);
    expect(Number(rows[0]?.version)).toBe(1);
    expect(JSON.stringify(rows[0])).not.toContain('amina');
  });

  it('leaves the rows out while the table does not exist, and builds them when it is made', async () => {
    const cat = category();
    const decider = modelled(accountsModel(cat));
    const id = `${cat}-early`;
    await open(decider, id);
    await deposit(decider, id, 250);
    expect(await ensureQueryModel(store, decider)).toEqual({ rebuilt: true, streams: 1 });
    await deposit(decider, id, 1);
    const { rows } = await store.db.query<{ balance: string | number; version: string | number }>(
      `SELECT balance, version FROM q.${cat.replace('.', '_')}`,
    );
    expect(rows.map((r) => [Number(r.balance), Number(r.version)])).toEqual([[251, 2]]);
  });

  it('writes every stream a workflow changed, and nothing when the workflow is refused', async () => {
    const cat = category();
    const decider = modelled(accountsModel(cat));
    await ensureQueryModel(store, decider);
    const [a, b] = [`${cat}-a`, `${cat}-b`];
    await open(decider, a);
    await open(decider, b);
    await deposit(decider, a, 50);
    const move = (amount: number) => [
      step({ decider, streamId: a, command: { type: 'Withdraw', data: { amount }, metadata: metadata(randomUUID()) } }),
      step({ decider, streamId: b, command: { type: 'Deposit', data: { amount }, metadata: metadata(randomUUID()) } }),
    ];
    await handleWorkflow(store, move(30));
    await expect(handleWorkflow(store, move(500))).rejects.toMatchObject({ code: 'OVERDRAWN' });
    const { rows } = await store.db.query<{ stream_id: string; balance: string | number }>(
      `SELECT stream_id, balance FROM q.${cat.replace('.', '_')} ORDER BY stream_id`,
    );
    expect(rows.map((r) => [r.stream_id, Number(r.balance)])).toEqual([
      [a, 20],
      [b, 30],
    ]);
  });

  it('builds a new table from the streams already stored, and again when its layout changes', async () => {
    const cat = category();
    const plain = modelled(accountsModel(cat));
    // Streams written before the model existed: the store alone holds them.
    const bare = accountDecider;
    for (let i = 0; i < 1203; i += 1) {
      const id = `${cat}-${String(i).padStart(5, '0')}`;
      await handleCommand(store, bare, id, { type: 'Open', data: { owner: 'x' }, metadata: metadata(randomUUID()) });
      if (i % 100 === 0)
        await handleCommand(store, bare, id, {
          type: 'Deposit',
          data: { amount: i },
          metadata: metadata(randomUUID()),
        });
    }
    // A stream of a category whose name extends this one's is not this category's.
    await handleCommand(store, bare, `${cat}x-1`, {
      type: 'Open',
      data: { owner: 'x' },
      metadata: metadata(randomUUID()),
    });
    expect(await ensureQueryModel(store, plain)).toEqual({ rebuilt: true, streams: 1203 });
    expect(await ensureQueryModel(store, plain)).toEqual({ rebuilt: false, streams: 0 });
    const table = `q.${cat.replace('.', '_')}`;
    const count = async () =>
      Number((await store.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
    expect(await count()).toBe(1203);
    const wider = modelled(accountsModel(cat, true));
    expect(await ensureQueryModel(store, wider)).toEqual({ rebuilt: true, streams: 1203 });
    const { rows } = await store.db.query<{ tags: string[]; balance: string | number }>(
      `SELECT tags, balance FROM ${table} WHERE stream_id = $1`,
      [`${cat}-01200`],
    );
    expect(rows[0]?.tags).toEqual(['a', 'b']);
    expect(Number(rows[0]?.balance)).toBe(1200);
  });

  it('pages by keyset in a stable order, with filters, to the last page', async () => {
    const cat = category();
    const decider = modelled(accountsModel(cat));
    await ensureQueryModel(store, decider);
    const amounts = [5, 500, 120, 120, 7, 300, 120, 99, 100, 1];
    for (const [i, amount] of amounts.entries()) {
      const id = `${cat}-${i}`;
      await open(decider, id);
      await deposit(decider, id, amount);
    }
    const table = `q.${cat.replace('.', '_')}`;
    const seen: Array<{ stream_id: string; balance: number }> = [];
    let after: unknown[] | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await selectPage<{ stream_id: string; balance: string | number }>(store.db, {
        columns: 'stream_id, balance',
        from: table,
        where: [sql`band = ${'high'}`],
        orderBy: ['balance', 'stream_id'],
        direction: 'desc',
        limit: 2,
        ...(after ? { after } : {}),
      });
      seen.push(...page.rows.map((r) => ({ stream_id: r.stream_id, balance: Number(r.balance) })));
      if (!page.next) break;
      after = JSON.parse(JSON.stringify(page.next)) as unknown[];
    }
    const expected = amounts
      .map((balance, i) => ({ stream_id: `${cat}-${i}`, balance }))
      .filter((r) => r.balance >= 100)
      .sort((x, y) => y.balance - x.balance || (x.stream_id < y.stream_id ? 1 : -1));
    expect(seen).toEqual(expected);

    // By the time each row last changed: the cursor keeps the timestamps' microseconds.
    const byTime: string[] = [];
    let from: unknown[] | undefined;
    for (let pages = 0; pages < 20; pages += 1) {
      const page = await selectPage<{ stream_id: string }>(store.db, {
        columns: 'stream_id',
        from: table,
        where: [],
        orderBy: ['updated_at', 'stream_id'],
        direction: 'asc',
        limit: 3,
        ...(from ? { after: from } : {}),
      });
      byTime.push(...page.rows.map((r) => r.stream_id));
      expect(page.rows.every((r) => Object.keys(r).join() === 'stream_id')).toBe(true);
      if (!page.next) break;
      from = page.next;
    }
    expect([...byTime].sort()).toEqual(amounts.map((_a, i) => `${cat}-${i}`).sort());
  });
});
