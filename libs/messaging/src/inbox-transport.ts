import { EventPattern, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { topicForType } from '@tashghil/contracts';
import type { SqlClient } from '@tashghil/event-store';
import type { Consumer, Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { InProcessBus } from './in-process-bus';
import { InboxProcessor, type InboxContext, type InboxProcessorOptions } from './inbox-processor';
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
  | { readonly kind: 'kafka'; readonly kafka: Kafka; readonly prefix?: string }
  | { readonly kind: 'in-process'; readonly bus: InProcessBus };

export interface InboxTransportOptions
  extends Pick<InboxProcessorOptions, 'log' | 'onDeadLetter' | 'maxAttempts' | 'backoffMs' | 'maxMessageBytes'> {
  readonly consumer: string;
  readonly db: SqlClient;
  readonly source: InboxSource;
  readonly deadLetters: Publisher;
}

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
    if (topics.length > 0) {
      const { source } = this.options;
      if (source.kind === 'kafka') {
        await ensureTopics(source.kafka, topics, 3, source.prefix);
        this.consumer = await runKafkaSource({
          kafka: source.kafka,
          ...(source.prefix ? { prefix: source.prefix } : {}),
          groupId: this.options.consumer,
          topics,
          handle: (m, heartbeat) => processor.process(m, heartbeat),
        });
      } else {
        this.unsubscribe = source.bus.subscribe(this.options.consumer, topics, (m) => processor.process(m));
      }
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
