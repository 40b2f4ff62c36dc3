import type { NewEvent } from '@tashghil/event-store';
import { invalidArgument, missingMetadata } from './errors';
import type { ProposedMessage, RecordedEventOut, Uuid } from './messages';
import { exposedName } from './stream-names';

export const JSON_CONTENT = 'application/json';
export const BINARY_CONTENT = 'application/octet-stream';

/**
 * What the gateway keeps of an appended event beyond its type and data, under one metadata key no
 * Tashghil service writes: the content type the client gave, and the client's own metadata, so a
 * read gives both back as sent. Data that is not a JSON object is kept as base64 under `$bytes`.
 */
export const GATEWAY_KEY = '$kurrent';

interface GatewayMetadata {
  readonly contentType: string;
  /** 'base64' when data is `{ $bytes: <base64> }`. */
  readonly data?: 'base64';
  /** The client's metadata when it was JSON; `customBase64` when it was other bytes. */
  readonly custom?: unknown;
  readonly customBase64?: string;
  /** Who appended through the gateway. */
  readonly actor: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const parseJson = (bytes: Buffer): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false };
  }
};

/** 100-nanosecond ticks since the Unix epoch, as the clients read `created`. */
export const createdTicks = (recordedAt: string): string => (BigInt(Date.parse(recordedAt)) * 10_000n).toString();

const hex = (n: bigint): string => BigInt.asUintN(64, n).toString(16).padStart(16, '0');

/** A UUID as the client asked: a string, or Java's two signed 64-bit halves. */
export const wireUuid = (id: string, structured: boolean): Uuid => {
  if (!structured) return { string: id };
  const digits = id.replace(/-/g, '');
  const half = (s: string): string => BigInt.asIntN(64, BigInt(`0x${s}`)).toString();
  return {
    structured: { most_significant_bits: half(digits.slice(0, 16)), least_significant_bits: half(digits.slice(16)) },
  };
};

export const uuidOf = (id: Uuid | undefined): string | undefined => {
  if (id?.string !== undefined) return id.string.toLowerCase();
  const s = id?.structured;
  if (!s) return undefined;
  const digits = hex(BigInt(s.most_significant_bits)) + hex(BigInt(s.least_significant_bits));
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
};

/**
 * An event as a read found it: its data and metadata parsed (the store's readStream) or still the
 * JSON text the database gave (the gateway's own `$all` reads, which never parse what they pass on).
 */
export interface ShownEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly type: string;
  readonly recordedAt: string;
  /** Milliseconds since the Unix epoch, when the read gave them in place of `recordedAt`. */
  readonly recordedMs?: string;
  readonly data: Record<string, unknown> | string;
  readonly metadata: Record<string, unknown> | string;
}

const objectOf = (v: Record<string, unknown> | string): Record<string, unknown> =>
  typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : v;

/** Whether the event was appended through the gateway (it alone writes GATEWAY_KEY): text needs no parse to tell. */
export const hasGatewayMetadata = (metadata: Record<string, unknown> | string): boolean =>
  typeof metadata === 'string' ? metadata.includes(`"${GATEWAY_KEY}"`) : GATEWAY_KEY in metadata;

const gatewayOf = (metadata: Record<string, unknown> | string): GatewayMetadata | undefined => {
  if (!hasGatewayMetadata(metadata)) return undefined;
  const found = objectOf(metadata)[GATEWAY_KEY];
  return isObject(found) ? (found as unknown as GatewayMetadata) : undefined;
};

const jsonBytes = (v: Record<string, unknown> | string): Buffer =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

/**
 * A recorded event as the protocol carries it. Tashghil's own events are JSON; their metadata (actor,
 * roles, correlation) travels as the custom metadata. Events appended through the gateway read back
 * with the content type and metadata their client gave.
 */
export const toWireEvent = (e: ShownEvent, commit: string, structuredIds: boolean): RecordedEventOut => {
  const gateway = gatewayOf(e.metadata);
  let data: Buffer;
  let custom: Buffer;
  let contentType = JSON_CONTENT;
  if (gateway) {
    contentType = gateway.contentType;
    data = gateway.data === 'base64' ? Buffer.from(String(objectOf(e.data).$bytes ?? ''), 'base64') : jsonBytes(e.data);
    custom =
      gateway.customBase64 !== undefined
        ? Buffer.from(gateway.customBase64, 'base64')
        : gateway.custom === undefined
          ? Buffer.alloc(0)
          : Buffer.from(JSON.stringify(gateway.custom));
  } else {
    data = jsonBytes(e.data);
    custom = jsonBytes(e.metadata);
  }
  return {
    id: wireUuid(e.eventId, structuredIds),
    stream_identifier: { stream_name: Buffer.from(exposedName(e.streamId)) },
    stream_revision: e.streamPosition,
    prepare_position: commit,
    commit_position: commit,
    metadata: {
      type: e.type,
      created: e.recordedMs === undefined ? createdTicks(e.recordedAt) : `${e.recordedMs}0000`,
      'content-type': contentType,
    },
    custom_metadata: custom,
    data,
  };
};

/** The bytes one proposed event counts against the append size limit, as KurrentDB counts them. */
export const proposedSize = (m: ProposedMessage): number =>
  (m.data?.length ?? 0) + (m.custom_metadata?.length ?? 0) + Buffer.byteLength(m.metadata?.type ?? '');

/** A proposed event as the store appends it; refuses one without the metadata the protocol requires. */
export const toNewEvent = (m: ProposedMessage, actor: string): NewEvent => {
  const type = m.metadata?.type;
  if (!type) throw missingMetadata('type');
  const contentType = m.metadata?.['content-type'];
  if (!contentType) throw missingMetadata('content-type');
  const eventId = uuidOf(m.id);
  if (!eventId) throw invalidArgument('every proposed event needs an id');
  const bytes = m.data ?? Buffer.alloc(0);
  const parsed = contentType === JSON_CONTENT ? parseJson(bytes) : { ok: false as const };
  const asObject = parsed.ok && isObject(parsed.value);
  const rawCustom = m.custom_metadata ?? Buffer.alloc(0);
  const custom = rawCustom.length === 0 ? undefined : parseJson(rawCustom);
  const gateway: GatewayMetadata = {
    contentType,
    ...(asObject ? {} : { data: 'base64' as const }),
    ...(custom === undefined
      ? {}
      : custom.ok
        ? { custom: custom.value }
        : { customBase64: rawCustom.toString('base64') }),
    actor,
  };
  return {
    eventId,
    type,
    data: asObject ? (parsed.value as Record<string, unknown>) : { $bytes: bytes.toString('base64') },
    metadata: { [GATEWAY_KEY]: gateway },
  };
};

/** An event the gateway writes itself (stream metadata, tombstones): JSON, as a client's would be. */
export const gatewayEvent = (
  eventId: string,
  type: string,
  data: Record<string, unknown>,
  actor: string,
): NewEvent => ({
  eventId,
  type,
  data,
  metadata: { [GATEWAY_KEY]: { contentType: JSON_CONTENT, actor } satisfies GatewayMetadata },
});
