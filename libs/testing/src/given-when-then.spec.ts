import { IllegalStateError, type Command, type Decider } from '@tashghil/event-store';
import { givenFor } from './given-when-then';

type Counter = { readonly n: number };
type Inc = Command<'Increment', { readonly by: number }>;
type Incremented = { readonly type: 'Incremented'; readonly data: { readonly by: number } };

const counter: Decider<Inc, Counter, Incremented> = {
  initialState: () => ({ n: 0 }),
  evolve: (s, e) => ({ n: s.n + e.data.by }),
  decide: (c, s) => {
    if (s.n + c.data.by > 10) throw new IllegalStateError('COUNTER_FULL', 'the counter stops at 10');
    return [{ type: 'Incremented', data: { by: c.data.by } }];
  },
};

const given = givenFor(counter);
const inc = (by: number): Inc => ({
  type: 'Increment',
  data: { by },
  metadata: { now: '', actor: 't', roles: [], correlationId: 'c', commandId: 'c' },
});
const incremented = (by: number): Incremented => ({ type: 'Incremented', data: { by } });

describe('given/when/then', () => {
  it('passes when the decider emits the expected events', () => {
    given([incremented(3)])
      .when(inc(2))
      .then([incremented(2)]);
  });

  it('fails when the decider emits other events', () => {
    expect(() =>
      given([])
        .when(inc(2))
        .then([incremented(3)]),
    ).toThrow();
  });

  it('checks the code of a broken rule', () => {
    given([incremented(9)])
      .when(inc(2))
      .thenThrows('COUNTER_FULL');
    expect(() =>
      given([incremented(9)])
        .when(inc(2))
        .thenThrows('OTHER_CODE'),
    ).toThrow();
    expect(() => given([]).when(inc(2)).thenThrows('COUNTER_FULL')).toThrow();
  });
});
