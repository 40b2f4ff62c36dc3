import { contractFor, deadLetterTopic, type Contract, envelopeSchema, HEADERS, type Envelope } from '@tashghil/contracts';
import { DomainError, isTransientDatabaseError, sleep, UnavailableError, type Queryable, type SqlClient } from '@tashghil/event-store';
import type { ZodError } from 'zod';
import type { InboundMessage, Publisher } from './message';

/** What a consumer's handler gets beside the parsed data: the transaction its effect must use. */
export interface InboxContext {
  readonly tx: Queryable;
  readonly envelope: Envelope;
  readonly message: InboundMessage;
}

export type InboxHandler = (data: unknown, ctx: InboxContext) => Promise<void>;

/** A failure that will fail again whatever we do: the message goes to the dead-letter topic. */
export class PermanentMessageError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface InboxProcessorOptions {
  readonly db: SqlClient;
  readonly consumer: string;
  readonly handlerFor: (type: string) => InboxHandler | undefined;
  readonly deadLetters: Publisher;
  /** Finds the schema of an event type and version; defaults to libs/contracts. */
  readonly contracts?: (type: string) => Contract | undefined;
  /** Attempts for an error that is neither clearly transient nor clearly permanent. */
  readonly maxAttempts?: number;
  readonly backoffMs?: (attempt: number) => number;
  readonly isStopping?: () => boolean;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;
  readonly onDeadLetter?: (topic: string, reason: string) => void;
}

export type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead-lettered';

const zodSummary = (error: ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

const defaultBackoff = (attempt: number): number => Math.min(30_000, 200 * 2 ** attempt) * (0.75 + Math.random() / 2);

/**
 * Applies one message exactly once in effect: the handler's writes, the inbox row and the offset
 * commit in one transaction. Transient failures (database down, deadlock) are waited out with
 * backoff; a message that can never succeed is dead-lettered with its reason, and the partition moves on.
 */
export class InboxProcessor {
  constructor(private readonly options: InboxProcessorOptions) {}

  async process(message: InboundMessage, onWait?: () => Promise<void>): Promise<Outcome> {
    let envelope: Envelope;
    let data: unknown;
    let handler: InboxHandler | undefined;
    try {
      envelope = this.parseEnvelope(message);
      handler = this.options.handlerFor(envelope.type);
      if (!handler) {
        await this.untilDone(() => this.recordOffset(this.options.db, message), onWait);
        return 'ignored';
      }
      data = this.parseData(envelope);
    } catch (error) {
      if (error instanceof PermanentMessageError) return this.deadLetter(message, error.reason, error.message, onWait);
      throw error;
    }
    const apply = handler;
    return this.untilDone(async (attempt) => {
      try {
        return await this.options.db.transaction(async (tx) => {
          const { rows } = await tx.query(
            `INSERT INTO msg.inbox (consumer, event_id, topic, partition, "offset") VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
            [this.options.consumer, envelope.eventId, message.topic, message.partition, message.offset],
          );
          if (rows.length > 0) await apply(data, { tx, envelope, message });
          await this.recordOffset(tx, message);
          return rows.length > 0 ? ('applied' as const) : ('duplicate' as const);
        });
      } catch (error) {
        const permanent = error instanceof PermanentMessageError ||
          (error instanceof DomainError && !(error instanceof UnavailableError));
        if (permanent || (!isTransient(error) && attempt + 1 >= (this.options.maxAttempts ?? 3))) {
          const reason = error instanceof PermanentMessageError ? error.reason : 'HANDLER_FAILED';
          return this.deadLetter(message, reason, errorText(error), onWait);
        }
        throw error;
      }
    }, onWait);
  }

  private parseEnvelope(message: InboundMessage): Envelope {
    if (message.value === null) throw new PermanentMessageError('EMPTY', 'the message has no value');
    let json: unknown;
    try {
      json = JSON.parse(message.value);
    } catch (error) {
      throw new PermanentMessageError('MALFORMED_JSON', `the value is not JSON: ${(error as Error).message}`);
    }
    const parsed = envelopeSchema.safeParse(json);
    if (!parsed.success) throw new PermanentMessageError('MALFORMED_ENVELOPE', zodSummary(parsed.error));
    return parsed.data;
  }

  private parseData(envelope: Envelope): unknown {
    const schema = (this.options.contracts ?? contractFor)(envelope.type)?.versions[envelope.schemaVersion];
    if (!schema) {
      throw new PermanentMessageError('UNKNOWN_SCHEMA_VERSION', `no contract for ${envelope.type} v${envelope.schemaVersion}`);
    }
    const parsed = schema.safeParse(envelope.data);
    if (!parsed.success) throw new PermanentMessageError('CONTRACT_VIOLATION', `${envelope.type}: ${zodSummary(parsed.error)}`);
    return parsed.data;
  }

  private async recordOffset(db: Queryable, message: InboundMessage): Promise<void> {
    await db.query(
      `INSERT INTO msg.consumer_offsets (consumer, topic, partition, "offset", updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (consumer, topic, partition) DO UPDATE
         SET "offset" = GREATEST(msg.consumer_offsets."offset", EXCLUDED."offset"), updated_at = now()`,
      [this.options.consumer, message.topic, message.partition, message.offset],
    );
  }

  private async deadLetter(message: InboundMessage, reason: string, error: string, onWait?: () => Promise<void>): Promise<'dead-lettered'> {
    const topic = deadLetterTopic(message.topic);
    this.options.log?.('warn', 'message dead-lettered', { topic: message.topic, partition: message.partition, offset: message.offset, reason, error });
    await this.untilDone(async () => {
      await this.options.deadLetters.publish([{
        topic,
        key: message.key ?? '',
        value: message.value ?? '',
        headers: {
          ...message.headers,
          [HEADERS.dlqReason]: reason,
          [HEADERS.dlqError]: error.slice(0, 2_000),
          [HEADERS.dlqTopic]: message.topic,
          [HEADERS.dlqPartition]: String(message.partition),
          [HEADERS.dlqOffset]: message.offset,
          [HEADERS.dlqConsumer]: this.options.consumer,
        },
      }]);
      await this.options.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO msg.dead_letters (consumer, topic, partition, "offset", message_key, value, headers, reason, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (consumer, topic, partition, "offset") DO NOTHING`,
          [this.options.consumer, message.topic, message.partition, message.offset, stripNul(message.key),
            stripNul(message.value), stripNul(JSON.stringify(message.headers)).replace(/\\u0000/g, ''), reason, stripNul(error.slice(0, 2_000))],
        );
        await this.recordOffset(tx, message);
      });
    }, onWait);
    this.options.onDeadLetter?.(message.topic, reason);
    return 'dead-lettered';
  }

  /** Repeats `work` through transient failures until it succeeds or the consumer stops. */
  private async untilDone<T>(work: (attempt: number) => Promise<T>, onWait?: () => Promise<void>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await work(attempt);
      } catch (error) {
        if (this.options.isStopping?.()) throw error;
        this.options.log?.('warn', 'message processing failed; retrying', { attempt, error: errorText(error) });
        const until = Date.now() + (this.options.backoffMs ?? defaultBackoff)(attempt);
        while (Date.now() < until) {
          await onWait?.();
          await sleep(Math.min(1_000, Math.max(0, until - Date.now())));
        }
      }
    }
  }
}

const isTransient = (error: unknown): boolean => error instanceof UnavailableError || isTransientDatabaseError(error);

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** PostgreSQL text cannot hold NUL; a dead letter keeps everything else of the value. */
function stripNul(value: string): string;
function stripNul(value: string | null): string | null;
function stripNul(value: string | null): string | null {
  return value === null ? null : value.split(String.fromCharCode(0)).join('');
}
