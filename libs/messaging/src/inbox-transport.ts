import { EventPattern, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { topicForType } from '@tashghil/contracts';
import type { SqlClient } from '@tashghil/event-store';
import type { Consumer, Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { InProcessBus } from './in-process-bus';
import { InboxProcessor, type InboxContext, type InboxProcessorOptions } from './inbox-processor';
import { type InboxPruner, startInboxPruner } from './inbox-pruner';
import { ensureTopics, runKafkaSource } from './kafka';
import type { Publisher } from './message';

/**
 * Marks a consumer method: `@OnEvent('reporting', 'ConventionDrafted')`. The consumer name is the
 * Kafka group and the inbox's key, the same in both modes.
 */
/** Subscribes a consumer method to one event type, or to each type of a list. */
export const OnEvent = (consumer: string, types: string | readonly string[]): MethodDecorator =>
  EventPattern([types].flat().map((type) => ({ consumer, type })));

export type InboxSource =
  | {
      readonly kind: 'kafka';
      readonly kafka: Kafka;
      readonly prefix?: string;
      /** Of the topics it creates when missing (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR). */
      readonly partitions?: number;
      readonly replicationFactor?: number;
      /** Partitions each consumer handles at once (KAFKA_CONSUMER_CONCURRENCY). */
      readonly concurrency?: number;
    }
  | { readonly kind: 'in-process'; readonly bus: InProcessBus };

export interface InboxTransportOptions
  extends Pick<InboxProcessorOptions, 'log' | 'onDeadLetter' | 'maxAttempts' | 'backoffMs' | 'maxMessageBytes'> {
  readonly consumer: string;
  readonly db: SqlClient;
  readonly source: InboxSource;
  readonly deadLetters: Publisher;
  /** Inbox rows older than this are pruned (TASHGHIL_INBOX_RETENTION_DAYS). */
  readonly inboxRetentionDays?: number;
}

/** How often the offsets of skipped messages are recorded: lag readings are this late at most. */
const SKIPPED_FLUSH_MS = 1_000;

/**
 * A Nest transport strategy over Kafka or the in-process bus. Nest's own Kafka transport commits
 * offsets on its own schedule and only logs a failing event handler; here the handler's effect, the
 * inbox row and the offset commit in one PostgreSQL transaction, failures are retried or
 * dead-lettered, and the partition is never left stuck on a poison message.
 */
export class InboxTransport extends Server implements CustomTransportStrategy {
  private consumer: Consumer | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopping = false;
  private processor: InboxProcessor | undefined;
  private flushing: NodeJS.Timeout | undefined;
  private pruner: InboxPruner | undefined;

  constructor(private readonly options: InboxTransportOptions) {
    super();
  }

  /** The event types this consumer handles, read from its @OnEvent patterns. */
  handledTypes(): string[] {
    const types: string[] = [];
    for (const pattern of this.messageHandlers.keys()) {
      const parsed = parsePattern(pattern);
      if (parsed?.consumer === this.options.consumer) types.push(parsed.type);
    }
    return types;
  }

  /** What this consumer reads: its group, the types it handles and their topics (for lag metrics). */
  subscription(): { readonly consumer: string; readonly types: string[]; readonly topics: string[] } {
    const types = this.handledTypes();
    const topics = [
      ...new Set(
        types.map((t) => {
          const topic = topicForType(t);
          if (!topic)
            throw new Error(`consumer ${this.options.consumer} handles ${t}, which has no contract in libs/contracts`);
          return topic;
        }),
      ),
    ];
    return { consumer: this.options.consumer, types, topics };
  }

  async listen(callback: (...args: unknown[]) => void): Promise<void> {
    const { types, topics } = this.subscription();
    const processor = new InboxProcessor({
      ...this.options,
      consumer: this.options.consumer,
      handlerFor: (type) => (types.includes(type) ? (data, ctx) => this.invoke(type, data, ctx) : undefined),
      isStopping: () => this.stopping,
    });
    this.processor = processor;
    if (topics.length > 0) {
      const { source } = this.options;
      if (source.kind === 'kafka') {
        await ensureTopics(source.kafka, topics, source.partitions, source.prefix, source.replicationFactor);
        this.consumer = await runKafkaSource({
          kafka: source.kafka,
          ...(source.prefix ? { prefix: source.prefix } : {}),
          ...(source.concurrency ? { concurrency: source.concurrency } : {}),
          groupId: this.options.consumer,
          topics,
          handle: (m, heartbeat) => processor.process(m, heartbeat),
        });
      } else {
        this.unsubscribe = source.bus.subscribe(this.options.consumer, topics, (m) => processor.process(m));
      }
      this.flushing = setInterval(() => void processor.flushSkipped().catch(() => undefined), SKIPPED_FLUSH_MS);
      this.flushing.unref();
      this.pruner = startInboxPruner({
        db: this.options.db,
        consumer: this.options.consumer,
        ...(this.options.inboxRetentionDays ? { retentionDays: this.options.inboxRetentionDays } : {}),
        onError: (error) =>
          this.options.log?.('warn', 'inbox pruning failed', { consumer: this.options.consumer, error: String(error) }),
      });
    }
    callback();
  }

  private async invoke(type: string, data: unknown, ctx: InboxContext): Promise<void> {
    const handler = this.messageHandlers.get(JSON.stringify({ consumer: this.options.consumer, type }));
    if (!handler) throw new Error(`no handler for ${type}`);
    await lastValueFrom(this.transformToObservable(await handler(data, ctx)), { defaultValue: undefined });
  }

  async close(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    await this.consumer?.disconnect();
    clearInterval(this.flushing);
    await this.pruner?.stop();
    await this.processor?.flushSkipped().catch(() => undefined);
  }

  on(): never {
    throw new Error('InboxTransport emits no events');
  }

  unwrap<T>(): T {
    return (this.consumer ?? this.options.source) as T;
  }
}

const parsePattern = (pattern: string): { consumer: string; type: string } | undefined => {
  try {
    const p = JSON.parse(pattern) as { consumer?: unknown; type?: unknown };
    return typeof p.consumer === 'string' && typeof p.type === 'string'
      ? { consumer: p.consumer, type: p.type }
      : undefined;
  } catch {
    return undefined;
  }
};
