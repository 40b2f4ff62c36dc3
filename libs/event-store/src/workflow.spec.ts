import { accountDecider, account, metadata, type AccountEvent } from './workflow.spec-helper';
import { decideWorkflow, step, type Workflow } from './workflow';
import { givenStreams } from './workflow-given';

const opened = (owner: string): AccountEvent => ({ type: 'Opened', data: { owner } });
const deposited = (amount: number): AccountEvent => ({ type: 'Deposited', data: { amount } });
const withdrawn = (amount: number): AccountEvent => ({ type: 'Withdrawn', data: { amount } });

/** Takes from one account and, once that is decided, gives what was taken to the other. */
const transfer = (from: string, to: string, amount: number, id = 't1'): Workflow => [
  step(account(from, { type: 'Withdraw', data: { amount }, metadata: metadata(`${id}:from`) })),
  (read) => {
    const taken = read.decided(accountDecider, from).filter((e) => e.type === 'Withdrawn');
    return taken.map((e) =>
      step(account(to, { type: 'Deposit', data: { amount: e.data.amount }, metadata: metadata(`${id}:to`) })),
    );
  },
];

describe('a workflow over several streams', () => {
  it('decides each step on its own stream, and a follow-up on what the steps before decided', () => {
    givenStreams({ a: [opened('amina'), deposited(100)], b: [opened('brahim')] })
      .when(transfer('a', 'b', 60))
      .then({ a: [withdrawn(60)], b: [deposited(60)] });
  });

  it('is refused whole when one step is refused', () => {
    givenStreams({ a: [opened('amina'), deposited(10)], b: [opened('brahim')] })
      .when(transfer('a', 'b', 60))
      .thenThrows('OVERDRAWN');
    givenStreams({ a: [opened('amina'), deposited(100)] })
      .when(transfer('a', 'b', 60))
      .thenThrows('ACCOUNT_NOT_OPEN');
  });

  it('folds the steps on one stream in order', () => {
    const twice: Workflow = [
      step(account('a', { type: 'Withdraw', data: { amount: 60 }, metadata: metadata('w1') })),
      step(account('a', { type: 'Withdraw', data: { amount: 60 }, metadata: metadata('w2') })),
    ];
    givenStreams({ a: [opened('amina'), deposited(100)] })
      .when(twice)
      .thenThrows('OVERDRAWN');
    const given = givenStreams({ a: [opened('amina'), deposited(130)] }).when(twice);
    given.then({ a: [withdrawn(60), withdrawn(60)] });
    expect(given.state(accountDecider, 'a')).toEqual({ open: true, owner: 'amina', balance: 10 });
  });

  it('answers a command already applied with the state, and refuses its id reused on another stream', () => {
    const history = { a: [opened('amina'), deposited(100), withdrawn(60)], b: [opened('brahim'), deposited(60)] };
    givenStreams(history, { applied: { 't1:from': 'a', 't1:to': 'b' } })
      .when(transfer('a', 'b', 60))
      .then({});
    givenStreams(history, { applied: { 't1:from': 'z' } })
      .when(transfer('a', 'b', 60))
      .thenThrows('IDEMPOTENCY_KEY_REUSED');
  });

  it('checks the version a client named against the version read', () => {
    const pinned = (expectedVersion: number): Workflow => [
      step({ ...account('a', { type: 'Deposit', data: { amount: 1 }, metadata: metadata('d') }), expectedVersion }),
    ];
    givenStreams({ a: [opened('amina')] })
      .when(pinned(0))
      .then({ a: [deposited(1)] });
    givenStreams({ a: [opened('amina')] })
      .when(pinned(3))
      .thenThrows('WRONG_EXPECTED_VERSION');
  });

  it('asks for every stream and command of its plain steps at once, and for a follow-up’s after them', () => {
    const opens = Array.from({ length: 3000 }, (_, i) =>
      step(account(`s${i}`, { type: 'Open', data: { owner: `o${i}` }, metadata: metadata(`open-${i}`) })),
    );
    const workflow = [...opens, ...transfer('s0', 's1', 0)];
    const nothingRead = decideWorkflow(workflow, { stream: () => undefined, applied: () => undefined });
    expect(nothingRead).toMatchObject({ kind: 'read' });
    if (nothingRead.kind !== 'read') return;
    expect(nothingRead.streamIds).toHaveLength(3000);
    // The follow-up's command is known only once the follow-up runs, after this read.
    expect(nothingRead.commandIds).toHaveLength(3001);
    const known = new Set(nothingRead.commandIds);
    const followUpUnread = decideWorkflow(workflow, {
      stream: () => ({ events: [], version: -1 }),
      applied: (commandId) => (known.has(commandId) ? null : undefined),
    });
    expect(followUpUnread).toEqual({ kind: 'read', streamIds: [], commandIds: ['t1:to'] });
  });

  it('refuses two steps with one command id, which would store the same event ids twice', () => {
    const same = metadata('same');
    expect(() =>
      decideWorkflow(
        [
          step(account('a', { type: 'Open', data: { owner: 'x' }, metadata: same })),
          step(account('b', { type: 'Open', data: { owner: 'y' }, metadata: same })),
        ],
        { stream: () => ({ events: [], version: -1 }), applied: () => null },
      ),
    ).toThrow(/share the command id same/);
  });
});
