import {
  eventIdFor,
  EventStore,
  handleCommand,
  SubjectKeyring,
  type Command,
  type DecidedEvent,
  type Decider,
  type HandleOptions,
  type HandleResult,
} from '@tashghil/event-store';
import { commandBatch, type Folded } from '@tashghil/matching';
import type { Runtime } from '@tashghil/service-kit';

/** The store as it stands at one instant of the programmes' calendar: what it appends is recorded then. */
export type StoreAt = (now: string) => EventStore;

/**
 * Stores over the runtime's own database whose clock is the seeding's business instant, so that each
 * demo event is recorded on its day of the programmes' calendar (2021–2022, and the declarations of
 * January 2023) and a report as of a date shows what stood then.
 * They take the runtime store's options: its keyring, from the same master key (`openRuntime` sets
 * no upcasters).
 */
export const storesOnCalendar = (runtime: Runtime): StoreAt => {
  const keyring = new SubjectKeyring(runtime.config.masterKey);
  return (now) => new EventStore(runtime.db, { keyring, clock: () => new Date(now) });
};

/** The one command handler, on the store of the command's own instant: recorded when it says it happened. */
export const handleAt = <C extends Command, S, E extends DecidedEvent>(
  at: StoreAt,
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
  options?: HandleOptions<S, C, E>,
): Promise<HandleResult<S, E>> => handleCommand(at(command.metadata.now), decider, streamId, command, options);

/** An instant on a day of the calendar, in UTC: `instant('2022-05-02', '08:00')`. */
export const instant = (day: string, time: string): string => `${day}T${time}:00.000Z`;

/**
 * A file's commands after the one that needed the command handler (an approval within the
 * envelope), decided together from the state it left and appended in one transaction, each at its
 * instant. All or none is stored, so the first one stored means the whole was.
 */
export const followUps = async <C extends Command, S, E extends DecidedEvent>(
  at: StoreAt,
  decider: Decider<C, S, E>,
  streamId: string,
  from: Folded<S>,
  commands: readonly C[],
): Promise<void> => {
  const [first] = commands;
  if (!first || (await at(first.metadata.now).eventExists(eventIdFor(first.metadata.commandId, 0)))) return;
  const batch = commandBatch(new Map([[streamId, from]]));
  for (const c of commands) batch.handle(decider, streamId, c);
  await batch.commit(at);
};
