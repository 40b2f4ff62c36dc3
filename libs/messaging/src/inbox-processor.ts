import {
  contractFor,
  deadLetterTopic,
  type Contract,
  envelopeSchema,
  HEADERS,
  type Envelope,
} from '@tashghil/contracts';
import {
  DomainError,
  isTransientDatabaseError,
  sleep,
  UnavailableError,
  WrongExpectedVersionError,
  type Queryable,
  type SqlClient,
} from '@tashghil/event-store';
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
  /** Every line names the message and its correlation id; an applied message is logged at debug. */
  readonly log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;
  readonly onDeadLetter?: (topic: string, reason: string) => void;
  /**
   * The largest message value a consumer takes, in bytes (default 512 KiB, twice the API's JSON body
   * limit, so any event one request makes fits). A larger one is dead-lettered as OVERSIZED unless its
   * type header names a type this consumer does not handle.
   */
  readonly maxMessageBytes?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 512 * 1024;

/**
 * Set on a dead-letter copy that goes to the broker without its value: a value above the limit plus
 * the reason headers could pass the broker's own limit, be refused, and be retried for ever.
 * msg.dead_letters keeps the whole value.
 */
export const DLQ_VALUE_OMITTED_HEADER = 'tashghil-dlq-value-omitted';

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
  private readonly skipped = new Map<string, InboundMessage>();

  constructor(private readonly options: InboxProcessorOptions) {}

  async process(message: InboundMessage, onWait?: () => Promise<void>): Promise<Outcome> {
    let envelope: Envelope;
    let data: unknown;
    let handler: InboxHandler | undefined;
    let fields = messageFields(message);
    try {
      if (this.oversized(message)) {
        const type = message.headers[HEADERS.type];
        if (type !== undefined && !this.options.handlerFor(type)) return this.skip(message);
        throw new PermanentMessageError(
          'OVERSIZED',
          `the value is ${valueBytes(message)} bytes, above the ${this.maxMessageBytes} a consumer takes`,
        );
      }
      envelope = this.parseEnvelope(message);
      fields = { ...fields, ...envelopeFields(envelope) };
      handler = this.options.handlerFor(envelope.type);
      if (!handler) return this.skip(message);
      data = this.parseData(envelope);
    } catch (error) {
      if (error instanceof PermanentMessageError)
        return this.deadLetter(message, error.reason, error.message, fields, onWait);
      throw error;
    }
    const apply = handler;
    const outcome = await this.untilDone(
      async (attempt) => {
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
          const permanent =
            error instanceof PermanentMessageError || (error instanceof DomainError && !isTransient(error));
          if (permanent || (!isTransient(error) && attempt + 1 >= (this.options.maxAttempts ?? 3))) {
            const reason = error instanceof PermanentMessageError ? error.reason : 'HANDLER_FAILED';
            return this.deadLetter(message, reason, errorText(error), fields, onWait);
          }
          throw error;
        }
      },
      fields,
      onWait,
    );
    if (outcome !== 'dead-lettered')
      this.options.log?.('debug', outcome === 'applied' ? 'message applied' : 'message already applied', fields);
    return outcome;
  }

  /**
   * A message of a type this consumer does not handle costs no database write: the broker's own
   * committed offset moves past it, and msg.consumer_offsets (read for lag) catches up at the
   * partition's next applied message or at the next `flushSkipped`.
   */
  private skip(message: InboundMessage): 'ignored' {
    const slot = `${message.topic}\u0000${message.partition}`;
    const last = this.skipped.get(slot);
    if (last === undefined || BigInt(last.offset) < BigInt(message.offset)) this.skipped.set(slot, message);
    return 'ignored';
  }

  /** Records the last skipped offset of each partition: one write per partition, however many were skipped. */
  async flushSkipped(): Promise<void> {
    const pending = [...this.skipped.values()];
    this.skipped.clear();
    for (const [i, message] of pending.entries()) {
      try {
        await this.recordOffset(this.options.db, message);
      } catch (error) {
        for (const m of pending.slice(i)) this.skip(m);
        throw error;
      }
    }
  }

  private get maxMessageBytes(): number {
    return this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  private oversized(message: InboundMessage): boolean {
    return valueBytes(message) > this.maxMessageBytes;
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
      throw new PermanentMessageError(
        'UNKNOWN_SCHEMA_VERSION',
        `no contract for ${envelope.type} v${envelope.schemaVersion}`,
      );
    }
    const parsed = schema.safeParse(envelope.data);
    if (!parsed.success)
      throw new PermanentMessageError('CONTRACT_VIOLATION', `${envelope.type}: ${zodSummary(parsed.error)}`);
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

  private async deadLetter(
    message: InboundMessage,
    reason: string,
    error: string,
    fields: Record<string, unknown>,
    onWait?: () => Promise<void>,
  ): Promise<'dead-lettered'> {
    const topic = deadLetterTopic(message.topic);
    const omitted = this.oversized(message);
    this.options.log?.('warn', 'message dead-lettered', { ...fields, reason, error });
    await this.untilDone(
      async () => {
        await this.options.deadLetters.publish([
          {
            topic,
            key: message.key ?? '',
            value: omitted ? '' : (message.value ?? ''),
            headers: {
              ...message.headers,
              ...(omitted ? { [DLQ_VALUE_OMITTED_HEADER]: String(valueBytes(message)) } : {}),
              [HEADERS.dlqReason]: reason,
              [HEADERS.dlqError]: error.slice(0, 2_000),
              [HEADERS.dlqTopic]: message.topic,
              [HEADERS.dlqPartition]: String(message.partition),
              [HEADERS.dlqOffset]: message.offset,
              [HEADERS.dlqConsumer]: this.options.consumer,
            },
          },
        ]);
        await this.options.db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO msg.dead_letters (consumer, topic, partition, "offset", message_key, value, headers, reason, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (consumer, topic, partition, "offset") DO NOTHING`,
            [
              this.options.consumer,
              message.topic,
              message.partition,
              message.offset,
              storable(message.key),
              storable(message.value),
              JSON.stringify(storableHeaders(message.headers)),
              reason,
              storable(error.slice(0, 2_000)),
            ],
          );
          await this.recordOffset(tx, message);
        });
      },
      fields,
      onWait,
    );
    this.options.onDeadLetter?.(message.topic, reason);
    return 'dead-lettered';
  }

  /** Repeats `work` through transient failures until it succeeds or the consumer stops. */
  private async untilDone<T>(
    work: (attempt: number) => Promise<T>,
    fields: Record<string, unknown>,
    onWait?: () => Promise<void>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await work(attempt);
      } catch (error) {
        if (this.options.isStopping?.()) throw error;
        this.options.log?.('warn', 'message processing failed; retrying', {
          ...fields,
          attempt,
          error: errorText(error),
        });
        const until = Date.now() + (this.options.backoffMs ?? defaultBackoff)(attempt);
        while (Date.now() < until) {
          await onWait?.();
          await sleep(Math.min(1_000, Math.max(0, until - Date.now())));
        }
      }
    }
  }
}

/** What every log line about a message says, before its value could be read: the header's correlation id. */
const messageFields = (message: InboundMessage): Record<string, unknown> => ({
  topic: message.topic,
  partition: message.partition,
  offset: message.offset,
  ...(message.headers[HEADERS.correlationId] ? { correlationId: message.headers[HEADERS.correlationId] } : {}),
});

const envelopeFields = (envelope: Envelope): Record<string, unknown> => ({
  eventId: envelope.eventId,
  type: envelope.type,
  ...(typeof envelope.metadata.correlationId === 'string' ? { correlationId: envelope.metadata.correlationId } : {}),
});

const valueBytes = (message: InboundMessage): number =>
  message.value === null ? 0 : Buffer.byteLength(message.value, 'utf8');

/** A version conflict means another writer moved a stream first: the next attempt reads it again. */
const isTransient = (error: unknown): boolean =>
  error instanceof UnavailableError || error instanceof WrongExpectedVersionError || isTransientDatabaseError(error);

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * PostgreSQL text cannot hold NUL, and jsonb refuses an unpaired surrogate's escape: a dead letter
 * keeps everything else of the message, or its row could never be written and the partition would
 * retry it for ever.
 */
function storable(value: string): string;
function storable(value: string | null): string | null;
function storable(value: string | null): string | null {
  return value === null ? null : value.split(String.fromCharCode(0)).join('').replace(UNPAIRED_SURROGATE, '\ufffd');
}

const storableHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [storable(k), storable(String(v))]));
