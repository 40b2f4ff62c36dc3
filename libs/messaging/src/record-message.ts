import type { CommandMetadata } from '@tashghil/event-store';
import type { InboxContext } from './inbox-processor';

/**
 * The metadata of the command a consumer decides on a message, inside the inbox's transaction. Its
 * id is derived from the consumer and the message's event id, so its events get the same ids on every
 * delivery (and the ids the consumers' events always had), and a redelivery is answered as applied;
 * its time is the message's, so deciding it again decides the same; the message is its cause.
 */
export const metadataFromMessage = (ctx: InboxContext, consumer: string): CommandMetadata => ({
  now: ctx.envelope.recordedAt,
  actor: `${consumer}-consumer`,
  roles: [],
  correlationId: String(ctx.envelope.metadata.correlationId ?? ctx.envelope.eventId),
  causationId: ctx.envelope.eventId,
  commandId: `${consumer}:${ctx.envelope.eventId}`,
});
