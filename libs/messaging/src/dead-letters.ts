import { HEADERS } from '@tashghil/contracts';
import { IllegalStateError, NotFoundError, type Queryable } from '@tashghil/event-store';
import type { InboundMessage, OutboundMessage, Publisher } from './message';

/** Set on a replayed message: the id of the msg.dead_letters row it replays. */
export const REPLAY_HEADER = 'tashghil-replay-of-dead-letter';

/** A row of msg.dead_letters: the message as it was consumed, why it failed, and what its headers or value say about the event it carried. */
export interface DeadLetter extends InboundMessage {
  readonly id: string;
  readonly consumer: string;
  readonly reason: string;
  readonly error: string;
  readonly createdAt: string;
  readonly replayedAt: string | null;
  readonly ageSeconds: number;
  readonly eventId: string | null;
  readonly eventType: string | null;
  /** The dead letter this message was itself a replay of, when it failed again. */
  readonly replayOf: string | null;
}

interface Row {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  value: string | null;
  headers: Record<string, string> | string;
  reason: string;
  error: string;
  created_at: string;
  replayed_at: string | null;
  age: number;
}

const SELECT = `SELECT id::text AS id, consumer, topic, partition, "offset"::text AS "offset", message_key, value, headers, reason, error,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
       to_char(replayed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS replayed_at,
       extract(epoch FROM now() - created_at)::float8 AS age
  FROM msg.dead_letters`;

/** The event's id and type: from the relay's headers, else from the envelope when the value parses. */
const eventOf = (
  headers: Readonly<Record<string, string>>,
  value: string | null,
): { id: string | null; type: string | null } => {
  let envelope: { eventId?: unknown; type?: unknown } = {};
  if (!headers[HEADERS.eventId] || !headers[HEADERS.type]) {
    try {
      const parsed: unknown = JSON.parse(value ?? '');
      if (parsed !== null && typeof parsed === 'object') envelope = parsed as typeof envelope;
    } catch {
      // A value that is not JSON (often the very reason it was dead-lettered) names no event.
    }
  }
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return {
    id: text(headers[HEADERS.eventId]) ?? text(envelope.eventId),
    type: text(headers[HEADERS.type]) ?? text(envelope.type),
  };
};

const toDeadLetter = (r: Row): DeadLetter => {
  const headers = (typeof r.headers === 'string' ? JSON.parse(r.headers) : r.headers) as Record<string, string>;
  const event = eventOf(headers, r.value);
  return {
    id: r.id,
    consumer: r.consumer,
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    key: r.message_key,
    value: r.value,
    headers,
    reason: r.reason,
    error: r.error,
    createdAt: r.created_at,
    replayedAt: r.replayed_at,
    ageSeconds: Math.max(0, r.age),
    eventId: event.id,
    eventType: event.type,
    replayOf: headers[REPLAY_HEADER] ?? null,
  };
};

export interface DeadLetterFilter {
  readonly consumer?: string;
  readonly topic?: string;
  /** Replayed ones too; by default only those still waiting. */
  readonly all?: boolean;
}

/** Dead letters in the order they were written. */
export const listDeadLetters = async (db: Queryable, filter: DeadLetterFilter = {}): Promise<DeadLetter[]> => {
  const { rows } = await db.query<Row>(
    `${SELECT}
      WHERE ($1::text IS NULL OR consumer = $1) AND ($2::text IS NULL OR topic = $2) AND ($3::boolean OR replayed_at IS NULL)
      ORDER BY id`,
    [filter.consumer ?? null, filter.topic ?? null, filter.all === true],
  );
  return rows.map(toDeadLetter);
};

export const findDeadLetters = async (db: Queryable, ids: readonly string[]): Promise<DeadLetter[]> => {
  const { rows } = await db.query<Row>(`${SELECT} WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
  return rows.map(toDeadLetter);
};

/**
 * The message as the consumer first received it, for its original topic and with its original key
 * (so the same partition, after the stream's later events), marked as a replay of this row.
 */
export const replayMessage = (d: DeadLetter): OutboundMessage => ({
  topic: d.topic,
  key: d.key ?? '',
  value: d.value ?? '',
  headers: { ...d.headers, [REPLAY_HEADER]: d.id },
});

export interface ReplayOptions {
  /** Replay ones already replayed too. */
  readonly force?: boolean;
  /** Check the ids and build the messages, but publish nothing and mark nothing. */
  readonly dryRun?: boolean;
  /**
   * Runs after the publisher resolved and before the row is marked; a throw leaves the row unmarked.
   * With a publisher that delivers before it resolves (the in-process bus), it can check the outcome.
   */
  readonly confirm?: (deadLetter: DeadLetter) => Promise<void>;
}

export interface Replay {
  readonly deadLetter: DeadLetter;
  readonly message: OutboundMessage;
  /** Ids of the rows marked replayed: this one, and other consumers' dead letters of the same message. */
  readonly marked: readonly string[];
}

/**
 * Publishes each dead letter again to its original topic, then marks it replayed. Every id is
 * checked before anything is published. The mark comes only after the publisher resolved (Kafka:
 * the broker acknowledged with acks = -1), so a crash in between leaves the row unmarked and it is
 * replayed again: harmless, because each consumer applies an event id once (msg.inbox). A replay
 * that fails again is a new message at a new offset, so it is dead-lettered as a new row.
 */
export const replayDeadLetters = async (
  db: Queryable,
  publisher: Publisher,
  ids: readonly string[],
  options: ReplayOptions = {},
): Promise<Replay[]> => {
  const found = new Map((await findDeadLetters(db, ids)).map((d) => [d.id, d]));
  const wanted: DeadLetter[] = [];
  for (const id of new Set(ids)) {
    const d = found.get(id);
    if (!d) throw new NotFoundError('DEAD_LETTER_NOT_FOUND', `there is no dead letter ${id}`);
    if (d.replayedAt !== null && !options.force) {
      throw new IllegalStateError(
        'DEAD_LETTER_ALREADY_REPLAYED',
        `dead letter ${id} was already replayed at ${d.replayedAt}; add --force to replay it again`,
      );
    }
    wanted.push(d);
  }
  const done: Replay[] = [];
  for (const d of wanted) {
    const message = replayMessage(d);
    if (options.dryRun) {
      done.push({ deadLetter: d, message, marked: [] });
      continue;
    }
    await publisher.publish([message]);
    await options.confirm?.(d);
    // The message goes to every consumer group of the topic, so it replays the other groups' dead
    // letters of the very same message too (same place, key and value: in-process bus offsets
    // restart with the process, so the place alone does not name a message).
    const { rows } = await db.query<{ id: string }>(
      `UPDATE msg.dead_letters SET replayed_at = now()
        WHERE id = $1::bigint
           OR (replayed_at IS NULL AND topic = $2 AND partition = $3 AND "offset" = $4::bigint
               AND message_key IS NOT DISTINCT FROM $5 AND value IS NOT DISTINCT FROM $6)
        RETURNING id::text AS id`,
      [d.id, d.topic, d.partition, d.offset, d.key, d.value],
    );
    done.push({ deadLetter: d, message, marked: rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b)) });
  }
  return done;
};

export type ReplayOutcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'dead-lettered-again'; readonly id: string }
  | { readonly kind: 'not-seen' };

/**
 * What the dead letter's consumer has made of its replays so far: the event applied (its inbox row;
 * also true when it had been applied before), or a newer dead letter that is a replay of this one.
 */
export const replayOutcome = async (db: Queryable, d: DeadLetter): Promise<ReplayOutcome> => {
  if (d.eventId !== null) {
    const { rows } = await db.query(`SELECT 1 FROM msg.inbox WHERE consumer = $1 AND event_id::text = $2`, [
      d.consumer,
      d.eventId,
    ]);
    if (rows.length > 0) return { kind: 'applied' };
  }
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text AS id FROM msg.dead_letters WHERE consumer = $1 AND id > $2::bigint AND headers->>$3 = $4 ORDER BY id DESC LIMIT 1`,
    [d.consumer, d.id, REPLAY_HEADER, d.id],
  );
  const again = rows[0];
  return again ? { kind: 'dead-lettered-again', id: again.id } : { kind: 'not-seen' };
};
