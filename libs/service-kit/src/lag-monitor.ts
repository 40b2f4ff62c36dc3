import type { SqlClient } from '@tashghil/event-store';
import type { Admin, Kafka } from 'kafkajs';
import { Counter, Gauge, type Registry } from 'prom-client';
import {
  offsetKey,
  ORIGIN,
  readCommittedOffsets,
  readDeadLetterRows,
  readProjectionLag,
  readRelayLag,
  readSubscriptionLag,
  type CommitPosition,
  type StoreSubscriptionLag,
} from './lag-readings';

export const LAG_MONITOR = Symbol('LAG_MONITOR');

/** A consumer group this process runs, as its transport knows it once Nest registered the handlers. */
export interface ConsumerSubscription {
  readonly consumer: string;
  readonly types: readonly string[];
  readonly topics: readonly string[];
}

export interface LagMonitorOptions {
  readonly registry: Registry;
  readonly db: SqlClient;
  /** The contexts whose relays run in this process. */
  readonly relays: readonly string[];
  /** The subscriptions to the store this process runs (a lease may hold one on another replica). */
  readonly subscriptions?: readonly StoreSubscriptionLag[];
  readonly consumers: () => readonly ConsumerSubscription[];
  /** Absent in the embedded mode, where the in-process bus delivers before the relay moves on. */
  readonly kafka?: { readonly kafka: Kafka; readonly prefix: string };
  /** How long a scrape waits for each reading; a slow broker or database never hangs /metrics. */
  readonly timeoutMs?: number;
  readonly clock?: () => number;
}

interface ProjectionLag {
  readonly consumer: string;
  readonly behind: number;
}

type Part = 'relay' | 'subscription' | 'projection' | 'consumer' | 'dead_letters';
const PARTS: readonly Part[] = ['relay', 'subscription', 'projection', 'consumer', 'dead_letters'];

/**
 * The lags an operator watches, read at scrape time from the database (and the broker): what the
 * relays have not yet published, what each consumer has not yet applied, what the broker holds
 * beyond each consumer's committed offset, and the dead letters waiting. Each reading has its own
 * timeout; one that fails or times out leaves its gauges empty for that scrape and counts in
 * `lag_collect_failures_total`, and one still running is waited for rather than started again.
 */
export class LagMonitor {
  private readonly relayEvents: Gauge<'context'>;
  private readonly relaySeconds: Gauge<'context'>;
  private readonly subscriptionLag: Gauge<'subscription'>;
  private readonly consumerLag: Gauge<'consumer' | 'topic' | 'partition'>;
  private readonly projectionLag: Gauge<'consumer'>;
  private readonly deadLetterRows: Gauge<'consumer' | 'topic'>;
  private readonly failures: Counter<'collector'>;
  private readonly running = new Map<Part, Promise<void>>();
  /** Per consumer, a commit position up to which every event it handles was found applied. */
  private readonly floors = new Map<string, CommitPosition>();
  private readonly overSince = new Map<string, number>();
  private readonly lastError = new Map<Part, string>();
  private projection: readonly ProjectionLag[] = [];
  private admin: { readonly client: Admin; readonly connected: Promise<void> } | undefined;
  private readonly timeoutMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: LagMonitorOptions) {
    const registers = [options.registry];
    this.relayEvents = new Gauge({
      name: 'relay_lag_events',
      help: 'Events of the context stored but not yet published by its relay',
      labelNames: ['context'],
      registers,
    });
    this.relaySeconds = new Gauge({
      name: 'relay_lag_seconds',
      help: 'Age of the oldest event the relay has not yet published, at most the time since the relay last moved (0 when none)',
      labelNames: ['context'],
      registers,
    });
    this.subscriptionLag = new Gauge({
      name: 'subscription_lag_events',
      help: 'Events a subscription to the store filters for, stored after its checkpoint (streaming proposals)',
      labelNames: ['subscription'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'consumer_lag_messages',
      help: "Messages on the broker past the consumer's committed offset (in-process bus: 0, its backlog is relay lag)",
      labelNames: ['consumer', 'topic', 'partition'],
      registers,
    });
    this.projectionLag = new Gauge({
      name: 'projection_lag_events',
      help: 'Stored events of the types the consumer handles that it has neither applied nor dead-lettered',
      labelNames: ['consumer'],
      registers,
    });
    this.deadLetterRows = new Gauge({
      name: 'dead_letters_stored',
      help: 'Rows in msg.dead_letters not yet replayed, by consumer and original topic',
      labelNames: ['consumer', 'topic'],
      registers,
    });
    this.failures = new Counter({
      name: 'lag_collect_failures_total',
      help: 'Lag readings that failed or timed out at scrape time',
      labelNames: ['collector'],
      registers,
    });
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Reads every lag into its gauges; called by the /metrics handler before it renders the registry. */
  async refresh(): Promise<void> {
    await Promise.all(PARTS.map((p) => this.run(p)));
  }

  /**
   * The readiness verdict on projection lag: down when a consumer has been more than `maxEvents`
   * behind for longer than `maxSeconds`. A reading that fails is `unknown`, not down: the database
   * check already says whether the database answers.
   */
  async projectionCheck(maxEvents: number, maxSeconds: number): Promise<string> {
    if (!(await this.run('projection'))) return `unknown: ${this.lastError.get('projection') ?? 'no reading'}`;
    const now = this.clock();
    const late: string[] = [];
    const catchingUp: string[] = [];
    for (const { consumer, behind } of this.projection) {
      if (behind <= maxEvents) {
        this.overSince.delete(consumer);
        continue;
      }
      const since = this.overSince.get(consumer) ?? now;
      this.overSince.set(consumer, since);
      const seconds = Math.round((now - since) / 1_000);
      (seconds > maxSeconds ? late : catchingUp).push(`${consumer} ${behind} events behind for ${seconds} s`);
    }
    if (late.length > 0) return `down: ${late.join('; ')}`;
    if (catchingUp.length > 0) return `catching up: ${catchingUp.join('; ')}`;
    return 'up';
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    // Disconnecting also ends a connection attempt still waiting on a broker that does not answer.
    if (admin) await admin.client.disconnect().catch(() => undefined);
  }

  private async run(part: Part): Promise<boolean> {
    let pending = this.running.get(part);
    if (!pending) {
      pending = this.read(part).finally(() => this.running.delete(part));
      this.running.set(part, pending);
    }
    try {
      await withTimeout(pending, this.timeoutMs);
      this.lastError.delete(part);
      return true;
    } catch (error) {
      this.lastError.set(part, error instanceof Error ? error.message : String(error));
      this.failures.inc({ collector: part });
      this.gaugesOf(part).forEach((g) => g.reset());
      return false;
    }
  }

  private gaugesOf(part: Part): ReadonlyArray<{ reset(): void }> {
    switch (part) {
      case 'relay':
        return [this.relayEvents, this.relaySeconds];
      case 'subscription':
        return [this.subscriptionLag];
      case 'projection':
        return [this.projectionLag];
      case 'consumer':
        return [this.consumerLag];
      case 'dead_letters':
        return [this.deadLetterRows];
      default: {
        const _exhaustive: never = part;
        return _exhaustive;
      }
    }
  }

  private read(part: Part): Promise<void> {
    switch (part) {
      case 'relay':
        return this.readRelays();
      case 'subscription':
        return this.readSubscriptions();
      case 'projection':
        return this.readProjections();
      case 'consumer':
        return this.readConsumers();
      case 'dead_letters':
        return this.readDeadLetters();
      default: {
        const _exhaustive: never = part;
        return _exhaustive;
      }
    }
  }

  private async readRelays(): Promise<void> {
    const readings = await Promise.all(
      this.options.relays.map(async (context) => ({ context, ...(await readRelayLag(this.options.db, context)) })),
    );
    this.relayEvents.reset();
    this.relaySeconds.reset();
    for (const r of readings) {
      this.relayEvents.set({ context: r.context }, r.events);
      this.relaySeconds.set({ context: r.context }, r.seconds);
    }
  }

  private async readSubscriptions(): Promise<void> {
    const subscriptions = this.options.subscriptions ?? [];
    const readings = await Promise.all(
      subscriptions.map(async (s) => ({ name: s.name, events: await readSubscriptionLag(this.options.db, s) })),
    );
    this.subscriptionLag.reset();
    for (const r of readings) this.subscriptionLag.set({ subscription: r.name }, r.events);
  }

  private async readProjections(): Promise<void> {
    const readings: ProjectionLag[] = [];
    for (const { consumer, types } of this.options.consumers()) {
      if (types.length === 0) {
        readings.push({ consumer, behind: 0 });
        continue;
      }
      const { behind, floor } = await readProjectionLag(
        this.options.db,
        consumer,
        types,
        this.floors.get(consumer) ?? ORIGIN,
      );
      this.floors.set(consumer, floor);
      readings.push({ consumer, behind });
    }
    this.projection = readings;
    this.projectionLag.reset();
    for (const r of readings) this.projectionLag.set({ consumer: r.consumer }, r.behind);
  }

  private async readConsumers(): Promise<void> {
    const subscriptions = this.options.consumers();
    const readings: Array<{ consumer: string; topic: string; partition: number; lag: number }> = [];
    if (!this.options.kafka) {
      for (const s of subscriptions)
        for (const topic of s.topics) readings.push({ consumer: s.consumer, topic, partition: 0, lag: 0 });
    } else {
      const { prefix } = this.options.kafka;
      const committed = await readCommittedOffsets(
        this.options.db,
        subscriptions.map((s) => s.consumer),
      );
      try {
        const admin = await this.adminClient();
        const onBroker = await brokerCommits(admin, prefix, subscriptions);
        for (const topic of new Set(subscriptions.flatMap((s) => s.topics))) {
          const partitions = await admin.fetchTopicOffsets(`${prefix}${topic}`);
          for (const s of subscriptions.filter((x) => x.topics.includes(topic))) {
            for (const p of partitions) {
              // msg.consumer_offsets keeps the offset of the last message handled; the next one is +1.
              // A message of a type the consumer skips is recorded there a few seconds later (or at
              // the partition's next applied message), while the broker's commit of the group may
              // already have passed it: a replica killed in between leaves the database one behind
              // for good on a quiet partition. Either record proves the message handled.
              const last = committed.get(offsetKey(s.consumer, topic, p.partition));
              const fromDb = last === undefined ? BigInt(p.low) : last + 1n;
              const fromBroker = onBroker.get(offsetKey(s.consumer, topic, p.partition));
              const next = fromBroker !== undefined && fromBroker > fromDb ? fromBroker : fromDb;
              const lag = BigInt(p.high) - next;
              readings.push({ consumer: s.consumer, topic, partition: p.partition, lag: lag > 0n ? Number(lag) : 0 });
            }
          }
        }
      } catch (error) {
        await this.close();
        throw error;
      }
    }
    this.consumerLag.reset();
    for (const r of readings)
      this.consumerLag.set({ consumer: r.consumer, topic: r.topic, partition: String(r.partition) }, r.lag);
  }

  private async readDeadLetters(): Promise<void> {
    const subscriptions = this.options.consumers();
    const rows = await readDeadLetterRows(
      this.options.db,
      subscriptions.map((s) => s.consumer),
    );
    this.deadLetterRows.reset();
    for (const s of subscriptions)
      for (const topic of s.topics) this.deadLetterRows.set({ consumer: s.consumer, topic }, 0);
    for (const r of rows) this.deadLetterRows.set({ consumer: r.consumer, topic: r.topic }, r.rows);
  }

  private async adminClient(): Promise<Admin> {
    const kafka = this.options.kafka?.kafka;
    if (!kafka) throw new Error('no broker in this mode');
    if (!this.admin) {
      const client = kafka.admin();
      const connected = client.connect();
      // Awaited below; a failure after a timeout gave up on it must not surface as unhandled.
      connected.catch(() => undefined);
      this.admin = { client, connected };
    }
    await this.admin.connected;
    return this.admin.client;
  }
}

/**
 * The next offset each consumer group committed on the broker, per topic and partition (absent
 * where the group never committed). Groups and topics carry the deployment's prefix on the broker.
 */
const brokerCommits = async (
  admin: Admin,
  prefix: string,
  subscriptions: readonly ConsumerSubscription[],
): Promise<Map<string, bigint>> => {
  const out = new Map<string, bigint>();
  for (const s of subscriptions) {
    if (s.topics.length === 0) continue;
    const topics = await admin.fetchOffsets({
      groupId: `${prefix}${s.consumer}`,
      topics: s.topics.map((t) => `${prefix}${t}`),
    });
    for (const t of topics)
      for (const p of t.partitions) {
        const offset = BigInt(p.offset);
        if (offset >= 0n) out.set(offsetKey(s.consumer, t.topic.slice(prefix.length), p.partition), offset);
      }
  }
  return out;
};

/** Rejects when `p` has not settled in `ms`; `p` itself runs on. */
export const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
};
