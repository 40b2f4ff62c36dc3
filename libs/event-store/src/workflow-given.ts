import { deepStrictEqual, fail, strictEqual } from 'node:assert/strict';
import type { Command, DecidedEvent, Decider } from './decider';
import { DomainError } from './errors';
import { decideWorkflow, type DecidedStream, type Workflow } from './workflow';

type Histories = Readonly<Record<string, readonly DecidedEvent[]>>;

/**
 * Workflow tests that read like the rule they check, on the same pure core the handler runs:
 * `givenStreams({ [placement]: [proposed, accepted, interviewed], [seeker]: [registered] }).when(hire)
 * .then({ [placement]: [hired], [seeker]: [placed], [offer]: [filled] })`. A stream not given is
 * new. `applied` names commands already stored, by command id, with the stream they are stored in.
 * It lives beside the store, as test-backends does, and asserts with node:assert so it needs no
 * test runner.
 */
export const givenStreams = (
  histories: Histories,
  options: { readonly applied?: Readonly<Record<string, string>> } = {},
) => ({
  when: (workflow: Workflow) => {
    const run = (): readonly DecidedStream[] => {
      const outcome = decideWorkflow(workflow, {
        stream: (streamId) => {
          const events = histories[streamId] ?? [];
          return { events, version: events.length - 1 };
        },
        applied: (commandId) => options.applied?.[commandId] ?? null,
      });
      if (outcome.kind !== 'decided') throw new Error('a workflow given every stream has nothing left to read');
      return outcome.streams;
    };
    const decided = (): Record<string, readonly DecidedEvent[]> =>
      Object.fromEntries(
        run()
          .map((stream) => [stream.streamId, stream.commands.flatMap((decision) => decision.events)] as const)
          .filter(([, events]) => events.length > 0),
      );
    return {
      /** Every stream's decided events, by stream id; streams where nothing was decided are left out. */
      events: decided,
      /** The state a stream is left in. */
      state: <C extends Command, S, E extends DecidedEvent>(decider: Decider<C, S, E>, streamId: string): S => {
        const found = run().find((stream) => stream.streamId === streamId);
        const events = histories[streamId] ?? [];
        return found && found.decider === decider
          ? (found.state as S)
          : (events as readonly E[]).reduce(decider.evolve, decider.initialState());
      },
      then: (expected: Histories): void => deepStrictEqual(decided(), expected),
      thenThrows: (code: string): void => {
        try {
          run();
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          strictEqual(error.code, code);
          return;
        }
        fail(`expected the workflow to refuse with ${code}, but it decided`);
      },
    };
  },
});
