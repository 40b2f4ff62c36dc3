import { randomUUID } from 'node:crypto';
import { handleCommand, handleWorkflow } from './command-handler';
import type { EventStore } from './event-store';
import { isSealed } from './personal-data';
import type { Queryable, SqlClient } from './sql-client';
import { openStore, testBackends, type TestDatabase } from './test-backends';
import { step, type Workflow } from './workflow';
import { account, accountDecider, metadata } from './workflow.spec-helper';

/** The store's own client, counting what goes through it: statements outside a transaction, and transactions. */
const counted = (db: SqlClient) => {
  const count = { reads: 0, transactions: 0 };
  const client = new Proxy(db, {
    get: (target, name, receiver) => {
      if (name === 'query') {
        return (text: string, params?: readonly unknown[]) => {
          count.reads += 1;
          return target.query(text, params);
        };
      }
      if (name === 'transaction') {
        return <T>(work: (tx: Queryable) => Promise<T>) => {
          count.transactions += 1;
          return target.transaction(work);
        };
      }
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client, count };
};

describe.each(testBackends().map((b) => [b.name, b] as const))('the write pipeline on %s', (_name, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
  });
  afterAll(() => database.dispose());

  const id = () => `tests.account-${randomUUID()}`;
  const open = (streamId: string, owner = 'amina') =>
    handleCommand(store, accountDecider, streamId, {
      type: 'Open',
      data: { owner },
      metadata: metadata(randomUUID()),
    });
  const deposit = (streamId: string, amount: number, commandId: string = randomUUID()) =>
    handleCommand(store, accountDecider, streamId, {
      type: 'Deposit',
      data: { amount },
      metadata: metadata(commandId),
    });
  const withdrawal = (streamId: string, amount: number) =>
    step(account(streamId, { type: 'Withdraw', data: { amount }, metadata: metadata(randomUUID()) }));
  const transfer = (from: string, to: string, amount: number): Workflow => [
    withdrawal(from, amount),
    step(account(to, { type: 'Deposit', data: { amount }, metadata: metadata(randomUUID()) })),
  ];
  const balance = async (streamId: string) => {
    const result = await handleCommand(store, accountDecider, streamId, {
      type: 'Deposit',
      data: { amount: 0 },
      metadata: metadata(randomUUID()),
    });
    return result.state.open ? result.state.balance : undefined;
  };

  it('decides a command once: a repeat is answered with the state, and its key on another stream is refused', async () => {
    const a = id();
    await open(a);
    const first = await deposit(a, 50, 'deposit-once');
    expect(first).toMatchObject({ version: 1, events: [{ type: 'Deposited' }], state: { balance: 50 } });
    const again = await deposit(a, 50, 'deposit-once');
    expect(again).toMatchObject({ version: 1, events: [], state: { balance: 50 } });
    const b = id();
    await open(b);
    await expect(deposit(b, 50, 'deposit-once')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses a version the client named when the stream has moved past it', async () => {
    const a = id();
    await open(a);
    await deposit(a, 5);
    const pinned = (expectedVersion: number) =>
      handleCommand(
        store,
        accountDecider,
        a,
        { type: 'Deposit', data: { amount: 1 }, metadata: metadata(randomUUID()) },
        { expectedVersion },
      );
    await expect(pinned(0)).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION' });
    expect(await pinned(1)).toMatchObject({ version: 2 });
  });

  it('stores every step of a workflow in one transaction, or none when one step is refused', async () => {
    const [a, b] = [id(), id()];
    await open(a);
    await open(b, 'brahim');
    await deposit(a, 100);
    const done = await handleWorkflow(store, transfer(a, b, 70));
    expect(done.written).toBe(2);
    expect((await done.stream(accountDecider, b)).state).toMatchObject({ balance: 70 });
    await expect(handleWorkflow(store, transfer(a, b, 70))).rejects.toMatchObject({ code: 'OVERDRAWN' });
    expect(await balance(a)).toBe(30);
    expect(await balance(b)).toBe(70);
  });

  it('never overdraws under racing workflows: each conflict re-reads every stream and decides again', async () => {
    const [a, b] = [id(), id()];
    await open(a);
    await open(b, 'brahim');
    await deposit(a, 50);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => handleWorkflow(store, transfer(a, b, 10))),
    );
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'done' : (r.reason as { code: string }).code));
    expect(codes.filter((c) => c === 'done')).toHaveLength(5);
    expect(codes.filter((c) => c === 'OVERDRAWN')).toHaveLength(3);
    expect(await balance(a)).toBe(0);
    expect(await balance(b)).toBe(50);
  });

  it('reads two thousand streams in one round trip, and appends them in a few', async () => {
    const { client, count } = counted(database.db);
    const countedStore = await openStore({ ...database, db: client });
    count.reads = 0;
    count.transactions = 0;
    const prefix = randomUUID().slice(0, 8);
    const opens = Array.from({ length: 2000 }, (_, i) =>
      step(
        account(`tests.account-${prefix}-${i}`, {
          type: 'Open',
          data: { owner: `o${i}` },
          metadata: metadata(`${prefix}:${i}`),
        }),
      ),
    );
    const done = await handleWorkflow(countedStore, opens);
    expect(done.written).toBe(2000);
    // One read; the append's own round trips are the store's (its keys first, with personal data).
    const first = count.reads + count.transactions;
    expect(first).toBeLessThanOrEqual(4);
    // Every command is found applied in the same read that folds the streams: nothing more is sent.
    const again = await handleWorkflow(countedStore, opens);
    expect(again.written).toBe(0);
    expect(count.reads + count.transactions).toBe(first + 1);
  });

  it('does not read again the streams its caller just found absent, and reads those found wrongly', async () => {
    const { client, count } = counted(database.db);
    const countedStore = await openStore({ ...database, db: client });
    const opens = (prefix: string) =>
      Array.from({ length: 300 }, (_, i) =>
        step(
          account(`tests.account-${prefix}-${i}`, {
            type: 'Open',
            data: { owner: `o${i}` },
            metadata: metadata(`${prefix}:${i}`),
          }),
        ),
      );
    const statements = async (workflow: Workflow, absent?: ReadonlySet<string>) => {
      const before = count.reads + count.transactions;
      const done = await handleWorkflow(countedStore, workflow, absent ? { absent } : {});
      return { written: done.written, statements: count.reads + count.transactions - before };
    };
    const read = await statements(opens(randomUUID().slice(0, 8)));
    const known = opens(randomUUID().slice(0, 8));
    const hinted = await statements(known, new Set(known.map((s) => s.streamId)));
    expect(hinted).toEqual({ written: 300, statements: read.statements - 1 });
    // Sent again with the same hint, now wrong: the appends fail their versions, the streams are
    // read, every command is found applied, and nothing is written twice.
    const again = await handleWorkflow(countedStore, known, {
      absent: new Set(known.map((s) => s.streamId)),
    });
    expect(again.written).toBe(0);
    expect((await store.readStream(known[0]?.streamId ?? '')).length).toBe(1);
    const a = id();
    await open(a);
    // A command the hint's empty state would refuse is decided on a read of the stream instead.
    const credited = await handleWorkflow(
      store,
      [step(account(a, { type: 'Deposit', data: { amount: 7 }, metadata: metadata(randomUUID()) }))],
      { absent: new Set([a]) },
    );
    expect(credited.written).toBe(1);
    expect(await balance(a)).toBe(7);
    // The other steps' streams are read as usual; the hint may name streams no step touches.
    await expect(handleWorkflow(store, transfer(a, id(), 1), { absent: new Set([id()]) })).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_OPEN',
    });
    expect(await balance(a)).toBe(7);
  });

  it('runs inside a transaction the caller holds, which commits or rolls back the whole', async () => {
    const [a, b] = [id(), id()];
    await open(a);
    await open(b, 'brahim');
    await deposit(a, 20);
    await expect(
      database.db.transaction(async (tx) => {
        await handleWorkflow(store, transfer(a, b, 20), { tx });
        throw new Error('the caller fails after the workflow');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await balance(a)).toBe(20);
    await database.db.transaction((tx) => handleWorkflow(store, transfer(a, b, 20), { tx }));
    expect(await balance(b)).toBe(20);
  });

  it('shows personal fields opened, though they are stored sealed', async () => {
    const a = id();
    await open(a, 'Amina Fictive');
    const [stored] = await store.readStream(a, { decrypt: false });
    expect(isSealed(stored?.data.owner)).toBe(true);
    expect((await deposit(a, 1)).state).toMatchObject({ owner: 'Amina Fictive', balance: 1 });
  });
});
