import { hash } from 'node:crypto';
import { canonicalJson, jsonString, sha256Hex } from './canonical-json';
import type { RecordedEvent } from './types';

/** The columns every read selects, cast to text where drivers disagree (bigint, xid8, bytea, time). */
export const EVENT_COLUMNS = `
  e.global_position::text AS global_position, e.tx_id::text AS tx_id, e.stream_id, e.category,
  e.stream_position::text AS stream_position, e.event_id::text AS event_id, e.type, e.schema_version,
  e.data, e.metadata, to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  encode(e.hash, 'hex') AS hash, encode(e.prev_hash, 'hex') AS prev_hash`;

/** EVENT_COLUMNS for a relay: data and metadata as the stored JSON text, and the ids a message's headers carry. */
export const EVENT_TEXT_COLUMNS = `
  e.global_position::text AS global_position, e.tx_id::text AS tx_id, e.stream_id,
  e.stream_position::text AS stream_position, e.event_id::text AS event_id, e.type, e.schema_version,
  e.data::text AS data, e.metadata::text AS metadata,
  e.metadata->>'correlationId' AS correlation_id, e.metadata->>'causationId' AS causation_id,
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

export interface EventTextRow {
  global_position: string;
  tx_id: string;
  stream_id: string;
  stream_position: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  correlation_id: string | null;
  causation_id: string | null;
  recorded_at: string;
}

export interface EventRow {
  global_position: string;
  tx_id: string;
  stream_id: string;
  category: string;
  stream_position: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: string;
  hash: string;
  prev_hash: string | null;
}

export const rowToEvent = (r: EventRow): RecordedEvent => ({
  globalPosition: Number(r.global_position),
  txId: Number(r.tx_id),
  streamId: r.stream_id,
  category: r.category,
  streamPosition: Number(r.stream_position),
  eventId: r.event_id,
  type: r.type,
  schemaVersion: r.schema_version,
  data: r.data,
  metadata: r.metadata,
  recordedAt: r.recorded_at,
  hash: r.hash,
  prevHash: r.prev_hash,
});

export interface HashedFields {
  readonly streamId: string;
  readonly streamPosition: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
}

/**
 * The link of a stream's chain: SHA-256 over the previous link and the canonical form of the event
 * as stored. Personal fields are hashed sealed, so erasing a key leaves every link valid.
 */
export const chainHash = (prevHash: string | null, e: HashedFields): string => {
  const fields = linkFields(e);
  if (Object.values(fields).includes(undefined)) return sha256Hex(`${prevHash ?? ''}\n${canonicalJson(fields)}`);
  const data = plainCanonicalJson(e.data) ?? canonicalJson(e.data);
  const metadata = plainCanonicalJson(e.metadata) ?? canonicalJson(e.metadata);
  return linkHash(prevHash, e, data, metadata);
};

/**
 * chainHash, given the canonical JSON of the event's data and metadata, with no field undefined.
 * The text hashed is canonicalJson(linkFields(e)), its keys written in order: appends hash every
 * event they write, and this costs two thirds of the general form (5 µs against 7.5 µs an event
 * of the store bench, 2026-12-04). event-rows.spec.ts holds the two equal.
 */
export const linkHash = (
  prevHash: string | null,
  e: Omit<HashedFields, 'data' | 'metadata'>,
  data: string,
  metadata: string,
): string =>
  hash(
    'sha256',
    `${prevHash ?? ''}\n{"data":${data},"eventId":${JSON.stringify(e.eventId)},"metadata":${metadata},` +
      `"recordedAt":${JSON.stringify(e.recordedAt)},"schemaVersion":${JSON.stringify(e.schemaVersion)},` +
      `"streamId":${JSON.stringify(e.streamId)},"streamPosition":${JSON.stringify(e.streamPosition)},` +
      `"type":${JSON.stringify(e.type)}}`,
    'hex',
  );

/**
 * canonicalJson's text of a value made of plain objects, arrays, strings, finite numbers, booleans
 * and null, which is also JSON.stringify's up to key order (jsonb keeps no key order), so an append
 * serialises each event once for its link and its row rather than twice; undefined for anything
 * else (a Date, a class instance, a toJSON, a function, a sparse array), whose two texts may differ.
 */
export const plainCanonicalJson = (value: unknown): string | undefined => {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? plainArray(value) : plainObject(value);
    default:
      return undefined;
  }
};

const plainArray = (value: readonly unknown[]): string | undefined => {
  let text = '[';
  for (let i = 0; i < value.length; i += 1) {
    if (!(i in value)) return undefined;
    const item = value[i];
    const json = item === undefined ? 'null' : plainCanonicalJson(item);
    if (json === undefined) return undefined;
    text += i === 0 ? json : `,${json}`;
  }
  return `${text}]`;
};

const plainObject = (value: object): string | undefined => {
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) return undefined;
  const record = value as Record<string, unknown>;
  let text = '{';
  let first = true;
  for (const key of sortedKeys(record)) {
    const item = record[key];
    if (item === undefined) continue;
    const json = plainCanonicalJson(item);
    if (json === undefined) return undefined;
    text += first ? `${keyJson(key)}${json}` : `,${keyJson(key)}${json}`;
    first = false;
  }
  return `${text}}`;
};

/**
 * An object's keys in canonical order. Objects come in a few shapes (a decider's event data,
 * metadata), each shape's keys in the same order: the sorted order of a key list is kept in a trie
 * walked key by key, found again without allocating. Sorting every object's keys was the largest
 * allocation of a seeker import after the fix of its paths (121 MB of 2,238 sampled over 30,000 rows
 * of bench:import, 2026-12-05). The trie holds at most KEY_NODES keys; past that, keys are sorted.
 */
const sortedKeys = (record: Record<string, unknown>): readonly string[] => {
  const keys = Object.keys(record);
  let node = KEY_ORDERS;
  for (const key of keys) {
    const next = node.next.get(key) ?? grow(node, key);
    if (!next) return keys.sort();
    node = next;
  }
  node.sorted ??= [...keys].sort();
  return node.sorted;
};

interface KeyNode {
  readonly next: Map<string, KeyNode>;
  sorted?: readonly string[];
}

const KEY_ORDERS: KeyNode = { next: new Map() };
const KEY_NODES = 20_000;
let keyNodes = 0;

const grow = (node: KeyNode, key: string): KeyNode | undefined => {
  if (keyNodes >= KEY_NODES) return undefined;
  keyNodes += 1;
  const child: KeyNode = { next: new Map() };
  node.next.set(key, child);
  return child;
};

/** A key's JSON text and the colon after it, kept for the keys seen most (a bounded cache). */
const KEY_TEXTS = new Map<string, string>();
const KEY_TEXTS_MAX = 4_096;
const keyJson = (key: string): string => {
  const known = KEY_TEXTS.get(key);
  if (known !== undefined) return known;
  const text = `${jsonString(key)}:`;
  if (KEY_TEXTS.size < KEY_TEXTS_MAX && key.length <= 64) KEY_TEXTS.set(key, text);
  return text;
};

/** The fields a link covers, and only those. */
export const linkFields = (e: HashedFields): HashedFields => ({
  streamId: e.streamId,
  streamPosition: e.streamPosition,
  eventId: e.eventId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  data: e.data,
  metadata: e.metadata,
  recordedAt: e.recordedAt,
});
