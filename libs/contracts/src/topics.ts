/** A context's topic: `conventions` publishes on `tashghil.conventions`. */
export const topicForContext = <C extends string>(context: C): `tashghil.${C}` => `tashghil.${context}`;

/** One topic per bounded context; the message key is the stream id, so a stream keeps its order. */
export const TOPICS = {
  conventions: topicForContext('conventions'),
  matching: topicForContext('matching'),
  subsidies: topicForContext('subsidies'),
} as const;

export type Context = keyof typeof TOPICS;
export type Topic = (typeof TOPICS)[Context];

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

export const isDeadLetterTopic = (topic: string): boolean => topic.endsWith('.dlq');

/** `conventions.convention-…` is published on the conventions topic. */
export const topicForStream = (streamId: string): string => topicForContext(streamId.slice(0, streamId.indexOf('.')));
