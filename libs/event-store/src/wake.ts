import type { ReadAllOptions } from './types';

/** Woken by every append: for subscribers that follow the whole log. */
export const EVENTS_CHANNEL = 'es_events';

// PostgreSQL refuses a channel name of 64 bytes or more (NAMEDATALEN). Two long contexts cut to the
// same name share a channel: a few wake-ups too many, never one too few.
const MAX_CHANNEL = 63;

/** Woken by appends to the context's streams, so a subscriber to one context sleeps through the others. */
export const contextChannel = (context: string): string => `${EVENTS_CHANNEL}:${context}`.slice(0, MAX_CHANNEL);

/** `conventions` for `conventions.convention-42` and for `conventions.convention`. */
export const contextOf = (streamIdOrCategory: string): string => streamIdOrCategory.split(/[.-]/, 1)[0] ?? '';

/** The channels an append to these streams wakes. */
export const wakeChannels = (streamIds: readonly string[]): string[] => [
  EVENTS_CHANNEL,
  ...new Set(streamIds.map((s) => contextChannel(contextOf(s)))),
];

/** The channels a subscriber with this filter listens to. */
export const listenChannels = (filter: Pick<ReadAllOptions, 'categories' | 'context'> = {}): string[] => {
  if (!filter.categories && !filter.context) return [EVENTS_CHANNEL];
  const contexts = new Set(filter.categories?.map(contextOf));
  if (filter.context) contexts.add(filter.context);
  return [...contexts].map(contextChannel);
};
