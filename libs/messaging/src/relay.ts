import { HEADERS, topicForStream } from '@tashghil/contracts';
import { subscribe, type EventStore, type RecordedEvent, type Subscription } from '@tashghil/event-store';
import type { OutboundMessage, Publisher } from './message';

export interface RelayOptions {
  readonly store: EventStore;
  readonly publisher: Publisher;
  /** The context whose events this relay publishes, e.g. `conventions`. */
  readonly context: string;
  readonly batchSize?: number;
  readonly pollMs?: number;
  readonly onError?: (error: unknown) => void;
  readonly onPublished?: (events: readonly RecordedEvent[]) => void;
}

export const toOutbound = (e: RecordedEvent): OutboundMessage => ({
  topic: topicForStream(e.streamId),
  key: e.streamId,
  value: JSON.stringify({
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    streamId: e.streamId,
    streamPosition: e.streamPosition,
    globalPosition: e.globalPosition,
    recordedAt: e.recordedAt,
    data: e.data,
    metadata: e.metadata,
  }),
  headers: {
    [HEADERS.eventId]: e.eventId,
    [HEADERS.type]: e.type,
    [HEADERS.schemaVersion]: String(e.schemaVersion),
    [HEADERS.correlationId]: String(e.metadata.correlationId ?? e.eventId),
    [HEADERS.causationId]: String(e.metadata.causationId ?? ''),
  },
});

/**
 * Tails the store in commit order and publishes each event as stored: personal fields stay sealed,
 * so no clear personal data reaches the broker. The checkpoint moves only after the broker (or the
 * in-process bus) acknowledged the batch; a crash in between publishes the batch again, and the
 * consumers' inboxes absorb the repeat.
 */
export const startRelay = (options: RelayOptions): Promise<Subscription> =>
  subscribe(options.store, {
    name: `relay:${options.context}`,
    filter: { context: options.context, decrypt: false },
    batchSize: options.batchSize ?? 500,
    pollMs: options.pollMs ?? 500,
    transactional: false,
    ...(options.onError ? { onError: options.onError } : {}),
    handle: async (events) => {
      await options.publisher.publish(events.map(toOutbound));
      options.onPublished?.(events);
    },
  });
