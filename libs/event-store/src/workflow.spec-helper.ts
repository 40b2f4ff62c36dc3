import type { Command, CommandMetadata, Decider, PersonalData } from './decider';
import { IllegalStateError } from './errors';
import type { StepInput } from './workflow';

/** A small ledger for the handler's own tests: an account that refuses to go below zero. */
export type AccountCommand =
  | Command<'Open', { readonly owner: string }>
  | Command<'Deposit', { readonly amount: number }>
  | Command<'Withdraw', { readonly amount: number }>;
export type AccountEvent =
  | { readonly type: 'Opened'; readonly data: { readonly owner: string }; readonly personal?: PersonalData }
  | { readonly type: 'Deposited'; readonly data: { readonly amount: number } }
  | { readonly type: 'Withdrawn'; readonly data: { readonly amount: number } };
export type Account =
  | { readonly open: false }
  | { readonly open: true; readonly owner: string; readonly balance: number };

const decide = (command: AccountCommand, state: Account): AccountEvent[] => {
  switch (command.type) {
    case 'Open':
      // The owner's name is personal: stored sealed under the owner's key.
      return state.open
        ? []
        : [
            {
              type: 'Opened',
              data: command.data,
              personal: { subjectId: `owner:${command.data.owner}`, fields: ['owner'] },
            },
          ];
    case 'Deposit':
      if (!state.open) throw new IllegalStateError('ACCOUNT_NOT_OPEN', 'open the account first');
      return [{ type: 'Deposited', data: command.data }];
    case 'Withdraw':
      if (!state.open) throw new IllegalStateError('ACCOUNT_NOT_OPEN', 'open the account first');
      if (state.balance < command.data.amount)
        throw new IllegalStateError('OVERDRAWN', `${state.balance} left, ${command.data.amount} asked`);
      return [{ type: 'Withdrawn', data: command.data }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
};

const evolve = (state: Account, event: AccountEvent): Account => {
  switch (event.type) {
    case 'Opened':
      return { open: true, owner: event.data.owner, balance: 0 };
    case 'Deposited':
      return state.open ? { ...state, balance: state.balance + event.data.amount } : state;
    case 'Withdrawn':
      return state.open ? { ...state, balance: state.balance - event.data.amount } : state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const accountDecider: Decider<AccountCommand, Account, AccountEvent> = {
  initialState: () => ({ open: false }),
  evolve,
  decide,
};

export const metadata = (commandId: string): CommandMetadata => ({
  now: '2022-05-02T10:00:00.000Z',
  actor: 'tester',
  roles: ['admin'],
  correlationId: 'c',
  commandId,
});

export const account = (
  streamId: string,
  command: AccountCommand,
): StepInput<AccountCommand, Account, AccountEvent> => ({
  decider: accountDecider,
  streamId,
  command,
});
