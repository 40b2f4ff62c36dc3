import {
  eventIdFor,
  EventStore,
  handleCommand,
  handleWorkflow,
  SubjectKeyring,
  type Command,
  type DecidedEvent,
  type Decider,
  type HandleOptions,
  type HandleResult,
  type Workflow,
} from '@tashghil/event-store';
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
  options?: HandleOptions<S>,
): Promise<HandleResult<S, E>> => handleCommand(at(command.metadata.now), decider, streamId, command, options);

/** An instant on a day of the calendar, in UTC: `instant('2022-05-02', '08:00')`. */
export const instant = (day: string, time: string): string => `${day}T${time}:00.000Z`;

/** A workflow on its instant of the calendar. */
export interface Dated {
  readonly now: string;
  readonly workflow: Workflow;
}

/** The streams a workflow's own steps name (its follow-ups' are known only once decided). */
const streamsOf = (workflow: Workflow): string[] =>
  workflow.flatMap((s) => (typeof s === 'function' ? [] : [s.streamId]));

/**
 * Seeds workflows in one transaction, each on the store of its instant, so all or none is stored and
 * a first start on PGlite stays quick. They go in calendar order, except that a stream keeps the
 * order its steps were given in, even where one is dated before the one it follows (a last month's
 * payroll recorded after the site's completion day). Workflows of one instant next to each other are
 * decided together. Answers how many events were written (0 when a repeat found every command applied).
 */
export const seedOnCalendar = async (at: StoreAt, dated: readonly Dated[]): Promise<number> => {
  const reached = new Map<string, string>();
  const ordered = dated
    .map((d, i) => {
      const streams = streamsOf(d.workflow);
      const key = streams.reduce((k, s) => {
        const after = reached.get(s);
        return after !== undefined && after > k ? after : k;
      }, d.now);
      for (const s of streams) reached.set(s, key);
      return { d, key, i };
    })
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i));
  const groups: Array<{ now: string; workflow: Workflow[number][] }> = [];
  for (const { d } of ordered) {
    const last = groups.at(-1);
    if (last && last.now === d.now) last.workflow.push(...d.workflow);
    else groups.push({ now: d.now, workflow: [...d.workflow] });
  }
  const [first] = groups;
  if (!first) return 0;
  return at(first.now).db.transaction(async (tx) => {
    let written = 0;
    for (const g of groups) written += (await handleWorkflow(at(g.now), g.workflow, { tx })).written;
    return written;
  });
};

/**
 * A file's commands after its approval, seeded on the calendar in one transaction. All or none is
 * stored, so the first one stored means the whole was, and a restart does not read them all again.
 */
export const followUps = async (at: StoreAt, dated: readonly Dated[]): Promise<void> => {
  const first = dated[0]?.workflow.find((s) => typeof s !== 'function');
  if (!first || typeof first === 'function') return;
  if (await at(first.command.metadata.now).eventExists(eventIdFor(first.command.metadata.commandId, 0))) return;
  await seedOnCalendar(at, dated);
};
