import { AsyncLocalStorage } from 'node:async_hooks';
import type { InboundMessage, OutboundMessage, Publisher } from './message';

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

  /** Messages published to a topic nobody consumes (dead-letter topics), for inspection. */
  published(topic: string): readonly OutboundMessage[] {
    return this.retained.get(topic) ?? [];
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
      if (receivers.length === 0) {
        const kept = this.retained.get(m.topic) ?? [];
        kept.push(m);
        if (kept.length > 10_000) kept.shift();
        this.retained.set(m.topic, kept);
      }
      for (const g of receivers) await g.deliver(inbound);
    }
  }

  async close(): Promise<void> {
    await this.tail;
    this.groups.clear();
  }
}
