import { eventIdFor, type EventStore } from '@tashghil/event-store';
import type { InboxContext } from './inbox-processor';

/**
 * Records what a consumer learnt from a message as an event of its own stream, inside the inbox's
 * transaction: the event, the inbox row and the offset commit together. The event id is derived
 * from the consumer and the message's id, so a redelivery is answered as already stored, and the
 * metadata carries the message's correlation id with the message as the cause.
 */
export const recordFromMessage = (
  store: EventStore,
  ctx: InboxContext,
  consumer: string,
  streamId: string,
  type: string,
  data: Record<string, unknown>,
): Promise<unknown> =>
  store.appendInTransaction(
    ctx.tx,
    streamId,
    [
      {
        eventId: eventIdFor(`${consumer}:${ctx.envelope.eventId}`, 0),
        type,
        schemaVersion: 1,
        data,
        metadata: {
          actor: `${consumer}-consumer`,
          roles: [],
          correlationId: String(ctx.envelope.metadata.correlationId ?? ctx.envelope.eventId),
          causationId: ctx.envelope.eventId,
        },
      },
    ],
    'any',
  );
