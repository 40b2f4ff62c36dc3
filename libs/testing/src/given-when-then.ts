import { DomainError, type Command, type DecidedEvent, type Decider } from '@tashghil/event-store';

/**
 * Decider tests that read like the rule they check:
 * given([drafted]).when(sign).then([signed]) or .thenThrows('CONVENTION_ALREADY_SIGNED').
 */
export const givenFor =
  <C extends Command, S, E extends DecidedEvent>(decider: Decider<C, S, E>) =>
  (history: readonly E[]) => ({
    when: (command: C) => {
      const run = (): readonly E[] => decider.decide(command, history.reduce(decider.evolve, decider.initialState()));
      return {
        /** The decided events, for a test that checks part of them. */
        events: (): readonly E[] => run(),
        then: (expected: readonly E[]): void => {
          expect(run()).toEqual(expected);
        },
        thenThrows: (code: string): void => {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DomainError);
          expect((caught as DomainError).code).toBe(code);
        },
      };
    },
  });
