/** One topic per bounded context; the message key is the stream id, so a stream keeps its order. */
export const TOPICS = {
  conventions: 'tashghil.conventions',
  matching: 'tashghil.matching',
  subsidies: 'tashghil.subsidies',
} as const;

export type Context = keyof typeof TOPICS;
export type Topic = (typeof TOPICS)[Context];

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** `conventions.convention-…` is published on the conventions topic. */
export const topicForStream = (streamId: string): string => {
  const context = streamId.slice(0, streamId.indexOf('.'));
  return `tashghil.${context}`;
};
