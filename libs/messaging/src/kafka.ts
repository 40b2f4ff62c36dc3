import { deadLetterTopic, isDeadLetterTopic } from '@tashghil/contracts';
import { Kafka, logLevel, type Admin, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import type { InboundMessage, OutboundMessage, Publisher } from './message';

export const kafkaClient = (brokers: string, clientId: string): Kafka =>
  new Kafka({
    clientId,
    brokers: brokers
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 200, retries: 8 },
  });

/**
 * Every Kafka name can carry a prefix (KAFKA_TOPIC_PREFIX), so that several deployments, or test
 * runs, share one broker without reading each other's topics. Only this adapter sees it.
 */
const prefixed = (prefix: string, topic: string): string => `${prefix}${topic}`;

/** Creates the topics (and their dead-letter topics) that are missing; existing ones are left alone. */
export const ensureTopics = async (
  kafka: Kafka,
  logicalTopics: readonly string[],
  partitions = 3,
  prefix = '',
): Promise<void> => {
  const topics = logicalTopics.map((t) => prefixed(prefix, t));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics.flatMap((t) => (isDeadLetterTopic(t) ? [t] : [t, deadLetterTopic(t)])))].filter(
      (t) => !existing.has(t),
    );
    if (wanted.length > 0) {
      // Several services start together and create the same topics: another's creation is success.
      // kafkajs's own wait for leaders can throw outside the caller's promise when a topic is still
      // unknown to the broker it asks, so the wait is done here, by polling metadata.
      try {
        await admin.createTopics({
          waitForLeaders: false,
          topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        });
      } catch (error) {
        if (!alreadyExists(error)) throw error;
      }
      await waitForLeaders(admin, wanted);
    }
  } finally {
    await admin.disconnect();
  }
};

const alreadyExists = (error: unknown): boolean => {
  const e = error as { type?: string; errors?: Array<{ type?: string }> };
  if (e.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS');
};

const waitForLeaders = async (admin: Admin, topics: readonly string[], ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms;
  for (;;) {
    let last = 'no partitions yet';
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (
        found.length === topics.length &&
        found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      )
        return;
    } catch (error) {
      // UNKNOWN_TOPIC_OR_PARTITION until the controller has told this broker about the topic.
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leader after ${ms} ms (${last})`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/**
 * An idempotent producer that waits for every in-sync replica (acks = -1): a publish that resolves
 * is on the broker, and a retried send is not written twice.
 */
export class KafkaPublisher implements Publisher {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly prefix = '',
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, OutboundMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, ms]) => ({
        topic: prefixed(this.prefix, topic),
        messages: ms.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
      })),
    });
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}

export const headersToStrings = (headers: IHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
};

export interface KafkaSourceOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handle: (message: InboundMessage, heartbeat: () => Promise<void>) => Promise<unknown>;
  readonly fromBeginning?: boolean;
  readonly prefix?: string;
}

/** Feeds one partition's messages to `handle` one at a time; the offset is committed after it returns. */
export const runKafkaSource = async (options: KafkaSourceOptions): Promise<Consumer> => {
  const prefix = options.prefix ?? '';
  const consumer = options.kafka.consumer({
    groupId: prefixed(prefix, options.groupId),
    // A restarted consumer can join its group only once the broker has given up on the member it
    // replaces: 10 s rather than kafkajs's 30 s keeps that wait short. Handlers are short, and the
    // processor heartbeats while it backs off between attempts.
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  await consumer.connect();
  await consumer.subscribe({
    topics: options.topics.map((t) => prefixed(prefix, t)),
    fromBeginning: options.fromBeginning ?? true,
  });
  await consumer.run({
    autoCommit: true,
    eachMessage: async ({ topic, partition, message, heartbeat }) => {
      await options.handle(
        {
          topic: topic.slice(prefix.length),
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: headersToStrings(message.headers),
        },
        heartbeat,
      );
    },
  });
  return consumer;
};
