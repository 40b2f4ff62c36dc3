import { z } from 'zod';

/** What the relay puts on a topic for each stored event: the event as stored, personal fields sealed. */
export const envelopeSchema = z.object({
  eventId: z.string().uuid(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  streamId: z.string().min(1),
  streamPosition: z.number().int().nonnegative(),
  globalPosition: z.number().int().positive(),
  recordedAt: z.string(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** Kafka header names; the values are strings. */
export const HEADERS = {
  eventId: 'tashghil-event-id',
  type: 'tashghil-event-type',
  schemaVersion: 'tashghil-schema-version',
  correlationId: 'tashghil-correlation-id',
  causationId: 'tashghil-causation-id',
  dlqReason: 'tashghil-dlq-reason',
  dlqError: 'tashghil-dlq-error',
  dlqTopic: 'tashghil-dlq-original-topic',
  dlqPartition: 'tashghil-dlq-original-partition',
  dlqOffset: 'tashghil-dlq-original-offset',
  dlqConsumer: 'tashghil-dlq-consumer',
} as const;
