import { randomUUID } from 'node:crypto';
import { CONTRACTS, deadLetterTopic, HEADERS, topicForType } from '@tashghil/contracts';
import type { SqlClient } from '@tashghil/event-store';
import { kafkaClient } from '@tashghil/messaging';
import { PROJECTED_TYPES } from '@tashghil/reporting';

/**
 * The consumer groups and the types their @OnEvent handlers take (services/subsidies' envelope and
 * hire consumers, services/reporting's live projection). A consumer subscribes to the topics of
 * its types, and only a message of a type it handles (or of no readable type) can be its poison.
 */
export const CONSUMERS: Readonly<Record<string, readonly string[]>> = {
  subsidies: ['ProgrammeTargetsSet', 'SeekerHired'],
  reporting: PROJECTED_TYPES,
};

/** Every topic some consumer reads, from the contracts registry. */
export const consumedTopics = (): string[] =>
  [...new Set(Object.values(CONSUMERS).flatMap((types) => types.flatMap((type) => topicForType(type) ?? [])))].sort();

/** A type of the topic handled by as many consumers as possible, for the poison that names a type. */
const typeFor = (topic: string): string => {
  const candidates = Object.keys(CONTRACTS).filter((t) => topicForType(t) === topic);
  const handlers = (t: string) => Object.values(CONSUMERS).filter((types) => types.includes(t)).length;
  const best = candidates.sort((a, b) => handlers(b) - handlers(a) || a.localeCompare(b))[0];
  if (!best) throw new Error(`no type on ${topic}`);
  return best;
};

/**
 * Just under the broker's default `message.max.bytes` (1 MiB + 12): the source topic takes it, but
 * a dead-letter copy carrying the value and the reason headers is refused (MESSAGE_TOO_LARGE,
 * measured on Kafka 3.9), which a consumer that retries its dead-letter publish would retry for ever.
 */
export const OVERSIZED_BYTES = 1_048_300;

interface Poison {
  readonly name: string;
  /** The type a consumer can read off the message, or undefined when none can be. */
  readonly type?: string;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

const envelope = (type: string, schemaVersion: number, data: Record<string, unknown>): string =>
  JSON.stringify({
    eventId: randomUUID(),
    type,
    schemaVersion,
    streamId: 'faults.poison-1',
    streamPosition: 0,
    globalPosition: 1,
    recordedAt: new Date().toISOString(),
    data,
    metadata: { correlationId: 'faults-poison' },
  });

const poisons = (topic: string, partition: number): Poison[] => {
  const type = typeFor(topic);
  const typed = { [HEADERS.type]: type, [HEADERS.correlationId]: `faults-poison-${partition}` };
  const list: Poison[] = [
    { name: 'not JSON', value: '{"eventId": oops', headers: {} },
    { name: 'no value', value: null, headers: {} },
    { name: 'not an envelope', value: JSON.stringify({ hello: 'world' }), headers: {} },
    { name: 'contract violation', type, value: envelope(type, 1, { region: 42 }), headers: typed },
    { name: 'unknown schema version', type, value: envelope(type, 99, {}), headers: typed },
    // A well-formed envelope: its size, not its shape, must stop it.
    { name: 'oversized envelope', type, value: oversizedEnvelope(type), headers: typed },
  ];
  if (partition === 0) list.push({ name: 'oversized garbage', value: 'z'.repeat(OVERSIZED_BYTES), headers: {} });
  return list;
};

const oversizedEnvelope = (type: string): string => {
  const shell = envelope(type, 1, { filler: '' });
  return shell.replace('"filler":""', `"filler":"${'x'.repeat(OVERSIZED_BYTES - shell.length)}"`);
};

export interface SentPoison {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly name: string;
  readonly bytes: number;
  /** The consumers that must dead-letter it. */
  readonly expectedBy: readonly string[];
}

/** Sends every kind of poison to every partition of every consumed topic. */
export const sendPoison = async (brokers: string): Promise<SentPoison[]> => {
  const kafka = kafkaClient(brokers, 'faults-poison');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const sent: SentPoison[] = [];
  try {
    for (const topic of consumedTopics()) {
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const subscribers = Object.entries(CONSUMERS).filter(([, types]) => types.some((t) => topicForType(t) === topic));
      for (const { partitionId } of metadata?.partitions ?? []) {
        for (const p of poisons(topic, partitionId)) {
          const [meta] = await producer.send({
            topic,
            acks: -1,
            messages: [{ partition: partitionId, key: `poison-${partitionId}`, value: p.value, headers: p.headers }],
          });
          if (!meta?.baseOffset) throw new Error(`no offset for ${p.name} on ${topic}/${partitionId}`);
          sent.push({
            topic,
            partition: partitionId,
            offset: meta.baseOffset,
            name: p.name,
            bytes: p.value?.length ?? 0,
            expectedBy: subscribers
              .filter(([, types]) => p.type === undefined || types.includes(p.type))
              .map(([consumer]) => consumer),
          });
        }
      }
    }
  } finally {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  }
  return sent;
};

/** The poison messages some consumer has not dead-lettered (yet). */
export const notDeadLettered = async (db: SqlClient, sent: readonly SentPoison[]): Promise<string[]> => {
  const { rows } = await db.query<{ k: string }>(
    `SELECT consumer || '|' || topic || '|' || partition || '|' || "offset" AS k FROM msg.dead_letters WHERE topic = ANY($1)`,
    [[...new Set(sent.map((s) => s.topic))]],
  );
  const have = new Set(rows.map((r) => r.k));
  return sent.flatMap((s) =>
    s.expectedBy
      .filter((c) => !have.has(`${c}|${s.topic}|${s.partition}|${s.offset}`))
      .map((c) => `${c}: ${s.name} on ${s.topic}/${s.partition}@${s.offset}`),
  );
};

/**
 * The partitions where a consumer has not applied a real event produced after the poison: proof that
 * no poison stalls its partition. Reporting takes every event of the load, so its inbox shows it;
 * the subsidies consumer takes only target sets, so on the matching topic its committed offset does.
 */
export const stalledPartitions = async (db: SqlClient, sent: readonly SentPoison[]): Promise<string[]> => {
  const last = new Map<string, bigint>();
  for (const s of sent) {
    for (const c of s.expectedBy) {
      const k = `${c}|${s.topic}|${s.partition}`;
      last.set(
        k,
        [last.get(k) ?? -1n, BigInt(s.offset)].reduce((a, b) => (a > b ? a : b)),
      );
    }
  }
  const { rows: inbox } = await db.query<{ k: string; o: string }>(
    `SELECT consumer || '|' || topic || '|' || partition AS k, max("offset")::text AS o FROM msg.inbox GROUP BY 1`,
  );
  const { rows: offsets } = await db.query<{ k: string; o: string }>(
    `SELECT consumer || '|' || topic || '|' || partition AS k, "offset"::text AS o FROM msg.consumer_offsets`,
  );
  const applied = new Map(inbox.map((r) => [r.k, BigInt(r.o)]));
  const committed = new Map(offsets.map((r) => [r.k, BigInt(r.o)]));
  return [...last]
    .filter(([k, poisonOffset]) => {
      const [consumer, topic] = k.split('|');
      const evidence = consumer === 'subsidies' && topic !== 'tashghil.conventions' ? committed : applied;
      return (evidence.get(k) ?? -1n) <= poisonOffset;
    })
    .map(([k, o]) => `${k} (last poison at ${o})`);
};

/** Messages on each dead-letter topic, as the broker counts them. */
export const deadLetterTopicCounts = async (brokers: string): Promise<Record<string, number>> => {
  const admin = kafkaClient(brokers, 'faults-dlq').admin();
  await admin.connect();
  try {
    const out: Record<string, number> = {};
    for (const topic of consumedTopics().map(deadLetterTopic)) {
      const offsets = await admin.fetchTopicOffsets(topic);
      out[topic] = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    }
    return out;
  } finally {
    await admin.disconnect();
  }
};
