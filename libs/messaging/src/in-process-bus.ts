import { AsyncLocalStorage } from 'node:async_hooks';
import type { InboundMessage, OutboundMessage, Publisher } from './message';
import { isDeadLetterTopic } from '@tashghil/contracts';

/** Dead letters kept per topic nobody consumes. */
const RETAINED = 10_000;

type Delivery = (message: InboundMessage) => Promise<unknown>;

/**
 * The embedded mode's broker. It keeps Kafka's contract where the code depends on it: per-key order,
 * consumer groups, offsets, at-least-once delivery. `publish` resolves only once every group has
 * processed the messages, so the relay's checkpoint (moved after publish) never passes an event a
 * consumer has not durably applied; after a crash the relay publishes it again.
 */
export class InProcessBus implements Publisher {
  private readonly groups = new Map<string, { topics: Set<string>; deliver: Delivery }>();
  private readonly offsets = new Map<string, number>();
  private readonly retained = new Map<string, OutboundMessage[]>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly delivering = new AsyncLocalStorage<true>();

  /**
   * @param firstOffset where every topic's offsets start. The bus forgets its offsets with its
   * process, so a restarted platform passes the highest offset its database has seen plus one:
   * offsets then keep naming one message each, as dead letters (unique by offset) need.
   */
  constructor(private readonly firstOffset = 0) {}

  subscribe(group: string, topics: readonly string[], deliver: Delivery): () => void {
    this.groups.set(group, { topics: new Set(topics), deliver });
    return () => this.groups.delete(group);
  }

  publish(messages: readonly OutboundMessage[]): Promise<void> {
    // A consumer publishing while it handles a delivery (a dead letter) must not queue behind the
    // delivery it is part of.
    if (this.delivering.getStore()) return this.deliverAll(messages);
    // One publish at a time keeps each topic in publish order across callers.
    const run = this.tail.then(() => this.delivering.run(true, () => this.deliverAll(messages)));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Dead letters published to a topic nobody consumes, the last RETAINED of them, for inspection. */
  published(topic: string): readonly OutboundMessage[] {
    return (this.retained.get(topic) ?? []).slice(-RETAINED);
  }

  private async deliverAll(messages: readonly OutboundMessage[]): Promise<void> {
    for (const m of messages) {
      const offset = this.offsets.get(m.topic) ?? this.firstOffset;
      this.offsets.set(m.topic, offset + 1);
      const inbound: InboundMessage = {
        topic: m.topic,
        partition: 0,
        offset: String(offset),
        key: m.key,
        value: m.value,
        headers: m.headers,
      };
      const receivers = [...this.groups.values()].filter((g) => g.topics.has(m.topic));
      if (receivers.length === 0 && isDeadLetterTopic(m.topic)) this.retain(m);
      for (const g of receivers) await g.deliver(inbound);
    }
  }

  /**
   * Keeps a dead letter nobody consumes, the last RETAINED of its topic. Only dead-letter topics:
   * keeping every message of a topic this process does not consume (a service alone, its events
   * meant for others) held the last 10,000 of them, and a seeker import of 50,000 rows spent a
   * sixth of its time collecting garbage, most of it copying those messages out of the young
   * generation (bench:import, 2026-12-05).
   */
  private retain(message: OutboundMessage): void {
    const kept = this.retained.get(message.topic) ?? [];
    kept.push(message);
    // Trimmed by half a bound at a time, so that a busy topic does not shift its whole list per message.
    if (kept.length > RETAINED * 1.5) kept.splice(0, kept.length - RETAINED);
    this.retained.set(message.topic, kept);
  }

  async close(): Promise<void> {
    await this.tail;
    this.groups.clear();
  }
}
