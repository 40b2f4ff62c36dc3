import type { Type } from '@nestjs/common';
import { topicForType } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { ORIGIN, readDeadLetterRows, readProjectionLag, readRelayLag, type ServiceSpec } from '@tashghil/service-kit';
import type { Kafka } from 'kafkajs';
import 'reflect-metadata';
import { EXIT, type OpsCommand, type OpsContext } from './ops-command';

/** Where @EventPattern (and so @OnEvent) keeps a method's patterns. */
const PATTERN_METADATA = 'microservices:pattern';

interface Subscription {
  readonly consumer: string;
  readonly types: readonly string[];
  readonly topics: readonly string[];
}

type ModuleRef =
  | Type<unknown>
  | { readonly module: Type<unknown>; readonly controllers?: Type<unknown>[]; readonly imports?: unknown[] };

const controllersOf = (ref: unknown, seen: Set<unknown>): Type<unknown>[] => {
  if (!ref || seen.has(ref)) return [];
  seen.add(ref);
  const dynamic = typeof ref === 'object' && 'module' in ref ? (ref as Exclude<ModuleRef, Type<unknown>>) : undefined;
  const module = dynamic?.module ?? ref;
  const meta = (key: string): unknown[] => (Reflect.getMetadata(key, module as object) as unknown[] | undefined) ?? [];
  const controllers = [...meta('controllers'), ...(dynamic?.controllers ?? [])] as Type<unknown>[];
  const imports = [...meta('imports'), ...(dynamic?.imports ?? [])];
  return [...controllers, ...imports.flatMap((i) => controllersOf(i, seen))];
};

/**
 * The event types each consumer group of a composition handles, read from its @OnEvent handlers
 * as the transport reads them at start, without starting anything.
 */
export const subscriptionsOf = (spec: ServiceSpec): Subscription[] => {
  const seen = new Set<unknown>();
  const patterns = spec.modules
    .flatMap((m) => controllersOf(m, seen))
    .flatMap((c) => {
      const proto = c.prototype as Record<string, unknown>;
      return Object.getOwnPropertyNames(proto).flatMap((name) => {
        const method = proto[name];
        return typeof method === 'function'
          ? ((Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined) ?? [])
          : [];
      });
    }) as Array<{ consumer?: unknown; type?: unknown }>;
  return spec.consumers.map((consumer) => {
    const types = [
      ...new Set(
        patterns.filter((p) => p.consumer === consumer && typeof p.type === 'string').map((p) => String(p.type)),
      ),
    ].sort();
    const topics = [...new Set(types.flatMap((t) => topicForType(t) ?? []))].sort();
    return { consumer, types, topics };
  });
};

interface PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  /** The offset of the last message the consumer handled (msg.consumer_offsets), null before the first. */
  readonly handled: string | null;
  /** The broker's high-water mark: the offset its next message will take. Null without a broker. */
  readonly high: string | null;
  readonly lag: number | null;
}

interface ConsumerReading {
  readonly consumer: string;
  readonly partitions: PartitionPosition[];
  /** Stored events of the types it handles that it has neither applied nor dead-lettered; null when its types are unknown here. */
  readonly projectionBehind: number | null;
  readonly deadLetters: number;
}

const positions = async (
  db: Queryable,
): Promise<Array<{ consumer: string; topic: string; partition: number; offset: string }>> =>
  (
    await db.query<{ consumer: string; topic: string; partition: number; offset: string }>(
      `SELECT consumer, topic, partition, "offset"::text AS "offset" FROM msg.consumer_offsets ORDER BY consumer, topic, partition`,
    )
  ).rows;

/** High-water marks per topic and partition, as the broker has them now. */
const highWaterMarks = async (
  kafka: Kafka,
  prefix: string,
  topics: readonly string[],
): Promise<Map<string, Array<{ partition: number; high: string; low: string }>>> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const marks = new Map<string, Array<{ partition: number; high: string; low: string }>>();
    for (const topic of topics) {
      if (existing.has(`${prefix}${topic}`)) marks.set(topic, await admin.fetchTopicOffsets(`${prefix}${topic}`));
    }
    return marks;
  } finally {
    await admin.disconnect();
  }
};

const readConsumers = async (
  db: Queryable,
  subscriptions: readonly Subscription[],
  broker: { kafka: Kafka; prefix: string } | undefined,
): Promise<ConsumerReading[]> => {
  const handled = await positions(db);
  const dead = await db.query<{ consumer: string }>(`SELECT DISTINCT consumer FROM msg.dead_letters`);
  const names = [
    ...new Set([
      ...subscriptions.map((s) => s.consumer),
      ...handled.map((h) => h.consumer),
      ...dead.rows.map((r) => r.consumer),
    ]),
  ].sort();
  const topicsOf = (c: string) =>
    [
      ...new Set([
        ...(subscriptions.find((s) => s.consumer === c)?.topics ?? []),
        ...handled.filter((h) => h.consumer === c).map((h) => h.topic),
      ]),
    ].sort();
  const marks = broker
    ? await highWaterMarks(broker.kafka, broker.prefix, [...new Set(names.flatMap(topicsOf))])
    : undefined;
  const deadLetters = await readDeadLetterRows(db, names);
  const readings: ConsumerReading[] = [];
  for (const consumer of names) {
    const partitions: PartitionPosition[] = [];
    for (const topic of topicsOf(consumer)) {
      const mine = handled.filter((h) => h.consumer === consumer && h.topic === topic);
      const onBroker = marks?.get(topic);
      if (!onBroker) {
        for (const h of mine)
          partitions.push({ topic, partition: h.partition, handled: h.offset, high: null, lag: null });
        continue;
      }
      for (const b of onBroker) {
        const last = mine.find((h) => h.partition === b.partition)?.offset;
        // As the lag gauge reads it: the next message is the one after the last handled.
        const next = last === undefined ? BigInt(b.low) : BigInt(last) + 1n;
        const lag = BigInt(b.high) - next;
        partitions.push({
          topic,
          partition: b.partition,
          handled: last ?? null,
          high: b.high,
          lag: lag > 0n ? Number(lag) : 0,
        });
      }
    }
    const types = subscriptions.find((s) => s.consumer === consumer)?.types;
    const projectionBehind =
      types && types.length > 0 ? (await readProjectionLag(db, consumer, types, ORIGIN)).behind : types ? 0 : null;
    readings.push({
      consumer,
      partitions,
      projectionBehind,
      deadLetters: deadLetters.filter((d) => d.consumer === consumer).reduce((n, d) => n + d.rows, 0),
    });
  }
  return readings;
};

interface RelayReading {
  readonly context: string;
  readonly position: string | null;
  readonly txId: string | null;
  readonly movedAt: string | null;
  readonly behind: number;
  readonly oldestSeconds: number;
}

const readRelays = async (
  db: Queryable,
  relays: readonly string[],
): Promise<{ head: string | null; relays: RelayReading[] }> => {
  const { rows } = await db.query<{ name: string; tx_id: string; position: string; moved_at: string }>(
    `SELECT name, tx_id::text AS tx_id, position::text AS position,
            to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS moved_at
       FROM es.checkpoints WHERE name LIKE 'relay:%' ORDER BY name`,
  );
  const head =
    (await db.query<{ head: string | null }>(`SELECT max(global_position)::text AS head FROM es.events`)).rows[0]
      ?.head ?? null;
  const contexts = [...new Set([...relays, ...rows.map((r) => r.name.slice('relay:'.length))])].sort();
  const readings: RelayReading[] = [];
  for (const context of contexts) {
    const cp = rows.find((r) => r.name === `relay:${context}`);
    const lag = await readRelayLag(db, context);
    readings.push({
      context,
      position: cp?.position ?? null,
      txId: cp?.tx_id ?? null,
      movedAt: cp?.moved_at ?? null,
      behind: lag.events,
      oldestSeconds: Math.round(lag.seconds),
    });
  }
  return { head, relays: readings };
};

const consumers = async ({ p, out, db, kafka, prefix, service }: OpsContext): Promise<number> => {
  const database = await db();
  const subscriptions = subscriptionsOf(service);
  const readings = await readConsumers(database, subscriptions, kafka ? { kafka, prefix } : undefined);
  const { head, relays } = await readRelays(database, service.relays);
  const behind =
    readings.some((r) => (r.projectionBehind ?? 0) > 0 || r.partitions.some((x) => (x.lag ?? 0) > 0)) ||
    relays.some((r) => r.behind > 0);
  if (p.flags.json) {
    out(
      JSON.stringify({ broker: kafka ? 'kafka' : 'in-process', storeHead: head, consumers: readings, relays, behind }),
    );
    return behind ? EXIT.broken : EXIT.ok;
  }
  for (const r of readings) {
    out(
      `consumer ${r.consumer}: ${r.projectionBehind === null ? 'projection lag unknown (not a consumer of this build)' : `${r.projectionBehind} stored events not yet applied`}, ${r.deadLetters} dead letters waiting`,
    );
    if (r.partitions.length === 0) out('  no message handled yet');
    for (const x of r.partitions) {
      out(
        `  ${x.topic}/${x.partition}: handled up to ${x.handled ?? '-'}${x.high === null ? (kafka ? ', topic not on the broker' : '') : `, broker head ${x.high}, lag ${x.lag}`}`,
      );
    }
  }
  if (!kafka)
    out(
      'no broker (embedded mode): the in-process bus holds no backlog of its own; what is not yet delivered is relay lag',
    );
  out(`store head: position ${head ?? 'none (empty store)'}`);
  for (const r of relays) {
    out(
      `relay ${r.context}: ${r.position === null ? 'not started' : `at position ${r.position} (transaction ${r.txId}), moved ${r.movedAt}`}; ${r.behind} events behind${r.behind > 0 ? `, the oldest ${r.oldestSeconds} s` : ''}`,
    );
  }
  return behind ? EXIT.broken : EXIT.ok;
};

export const CONSUMERS: OpsCommand = {
  help: `tashghil ops consumers [--json]

  Per consumer group: the offset it has handled on each topic and partition (msg.consumer_offsets),
  with the broker's high-water mark and the lag when KAFKA_BROKERS names the broker (topics carry
  KAFKA_TOPIC_PREFIX there); the stored events of the types it handles that it has neither applied
  nor dead-lettered; its dead letters waiting. Per relay: its checkpoint (es.checkpoints) and the
  events of its context not yet published, against the store's head. In the embedded mode there is
  no broker: the in-process bus delivers before the relay moves on, so relay lag is the backlog.

  Exit 0 nothing behind, 1 something behind, 3 store or broker unavailable.`,
  run: consumers,
};
