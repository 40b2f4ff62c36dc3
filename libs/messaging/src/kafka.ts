import { deadLetterTopic, isDeadLetterTopic } from '@tashghil/contracts';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type IHeaders, type Producer } from 'kafkajs';
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

/**
 * Twelve partitions let up to twelve consumer processes of a group (three or four replicas of a
 * service, each handling several partitions at once) share a topic; one replica for the local
 * single broker. Both are settings (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR).
 */
export const DEFAULT_TOPIC_PARTITIONS = 12;
export const DEFAULT_REPLICATION_FACTOR = 1;

/**
 * Creates the topics (and their dead-letter topics) that are missing; existing ones are left alone:
 * adding partitions to a topic moves keys to other partitions, which an operator does on purpose.
 */
export const ensureTopics = async (
  kafka: Kafka,
  logicalTopics: readonly string[],
  partitions = DEFAULT_TOPIC_PARTITIONS,
  prefix = '',
  replicationFactor = DEFAULT_REPLICATION_FACTOR,
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
          topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
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
 * The broker refuses a record batch above message.max.bytes, 1 MiB plus 12 bytes of log overhead by
 * default (apache/kafka PR #4154, KAFKA-4203, Kafka 1.1; neither infra/kafka nor docker-compose.yml
 * changes it; read 2026-12-05), and kafkajs sends each partition's messages of one send as one
 * batch. A quarter below leaves room for the estimate's slack and for dead-letter headers.
 */
export const DEFAULT_MAX_BATCH_BYTES = 768 * 1024;

/**
 * What a record adds beside its key, value and headers, at most (Kafka protocol guide, "Record":
 * length, attributes, timestamp delta, offset delta, key and value lengths and header count are
 * varints of at most 5 bytes, 10 for the timestamp; each header adds two varint lengths; a batch
 * has a 61-byte header; kafka.apache.org/documentation/#record, read 2026-12-05).
 */
const RECORD_OVERHEAD = 36;
const HEADER_OVERHEAD = 10;
const BATCH_OVERHEAD = 61;

export const encodedBytes = (m: OutboundMessage): number =>
  RECORD_OVERHEAD +
  Buffer.byteLength(m.key) +
  Buffer.byteLength(m.value) +
  Object.entries(m.headers).reduce((n, [k, v]) => n + HEADER_OVERHEAD + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

export interface KafkaPublisherOptions {
  /** The most bytes one send puts in one partition's batch; a single larger message goes alone. */
  readonly maxBatchBytes?: number;
  /** The most bytes of one send in all; far below the broker's socket.request.max.bytes (100 MiB). */
  readonly maxRequestBytes?: number;
}

type Placed = OutboundMessage & { readonly partition: number | undefined };

/**
 * Cuts messages, in order, into sends whose batch for each partition stays below `maxBatchBytes`.
 * Sent one after the other, they keep each key's order.
 */
export const splitByPartitionBytes = (
  messages: readonly Placed[],
  maxBatchBytes: number,
  maxRequestBytes = Number.POSITIVE_INFINITY,
): Placed[][] => {
  const sends: Placed[][] = [];
  let current: Placed[] = [];
  let perPartition = new Map<string, number>();
  let total = 0;
  for (const m of messages) {
    const slot = `${m.topic}\u0000${m.partition ?? 'any'}`;
    const bytes = encodedBytes(m);
    const used = perPartition.get(slot) ?? BATCH_OVERHEAD;
    if (current.length > 0 && (used + bytes > maxBatchBytes || total + bytes > maxRequestBytes)) {
      sends.push(current);
      current = [];
      perPartition = new Map();
      total = 0;
    }
    current.push(m);
    perPartition.set(slot, (perPartition.get(slot) ?? BATCH_OVERHEAD) + bytes);
    total += bytes;
  }
  if (current.length > 0) sends.push(current);
  return sends;
};

/**
 * An idempotent producer that waits for every in-sync replica (acks = -1): a publish that resolves
 * is on the broker, and a retried send is not written twice. A publish larger than a batch the
 * broker takes goes as several sends, each message in the partition kafkajs's default partitioner
 * would choose (murmur2 of the key), named explicitly so that the bytes are counted where they go.
 */
const STALE_PRODUCER = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

export class KafkaPublisher implements Publisher {
  private producer: Producer;
  private connected: Promise<void> | undefined;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionCounts = new Map<string, number>();
  private readonly maxBatchBytes: number;
  private readonly maxRequestBytes: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly prefix = '',
    options: KafkaPublisherOptions = {},
  ) {
    this.producer = this.newProducer();
    this.maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    this.maxRequestBytes = options.maxRequestBytes ?? 16 * this.maxBatchBytes;
  }

  private newProducer(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  }

  /**
   * kafkajs keeps an idempotent producer's id and sequence numbers across a broker restart and never
   * asks for new ones, so after one every send can be refused for ever (out of order sequence
   * number, unknown producer id). Such a producer is replaced: the next publish starts a new one,
   * and whatever the old one may have written is absorbed by the consumers' inboxes.
   */
  private async replaceStaleProducer(error: unknown): Promise<void> {
    const types = [error, (error as { cause?: unknown }).cause].map((e) => (e as { type?: string } | undefined)?.type);
    if (!types.some((t) => t && STALE_PRODUCER.has(t))) return;
    const old = this.producer;
    this.producer = this.newProducer();
    this.connected = undefined;
    await old.disconnect().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  /**
   * A topic's partition count, asked once. Unknown (a topic the broker does not have yet): the
   * messages are counted as if in one partition, which only makes the sends smaller.
   */
  private async partitionCount(topic: string): Promise<number | undefined> {
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const count = topics[0]?.partitions.length ?? 0;
      if (count === 0) return undefined;
      this.partitionCounts.set(topic, count);
      return count;
    } catch {
      return undefined;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async place(messages: readonly OutboundMessage[]): Promise<Placed[]> {
    const counts = new Map<string, number | undefined>();
    for (const topic of new Set(messages.map((m) => prefixed(this.prefix, m.topic))))
      counts.set(topic, await this.partitionCount(topic));
    return messages.map((m) => {
      const topic = prefixed(this.prefix, m.topic);
      const count = counts.get(topic);
      const partition =
        count === undefined
          ? undefined
          : this.partitioner({
              topic,
              partitionMetadata: Array.from({ length: count }, (_, partitionId) => ({
                partitionId,
                leader: 0,
                replicas: [],
                isr: [],
                partitionErrorCode: 0,
              })),
              message: { key: m.key, value: m.value },
            });
      return { ...m, topic, partition };
    });
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const sends = splitByPartitionBytes(await this.place(messages), this.maxBatchBytes, this.maxRequestBytes);
    try {
      for (const send of sends) {
        const byTopic = new Map<string, Placed[]>();
        for (const m of send) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
        await this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, ms]) => ({
            topic,
            messages: ms.map((m) => ({
              key: m.key,
              value: m.value,
              headers: { ...m.headers },
              ...(m.partition === undefined ? {} : { partition: m.partition }),
            })),
          })),
        });
      }
    } catch (error) {
      // Partitions may have been added since they were counted.
      this.partitionCounts.clear();
      await this.replaceStaleProducer(error);
      throw error;
    }
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
  /** Partitions handled at once (kafkajs partitionsConsumedConcurrently); each keeps its order. */
  readonly concurrency?: number;
}

/**
 * Three partitions at once: each holds one database connection while its message's transaction
 * runs, so a consumer costs at most three of its pool (KAFKA_CONSUMER_CONCURRENCY).
 */
export const DEFAULT_CONSUMER_CONCURRENCY = 3;

/**
 * Feeds each partition's messages to `handle` one at a time, several partitions at once; the offset
 * is committed after it returns.
 */
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
    partitionsConsumedConcurrently: options.concurrency ?? DEFAULT_CONSUMER_CONCURRENCY,
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
