import { exposedName } from './stream-names';
import { createdTicks, hasGatewayMetadata, JSON_CONTENT, toWireEvent, type ShownEvent } from './event-shape';

/**
 * ReadResp{event}, the message a read sends per event, written straight into one buffer of the
 * exact size. A `$all` read is the gateway's busiest path: protobufjs's Writer (a chain of forks,
 * a Long per 64-bit number, a BigInt per structured id) cost a third of the gateway's time there,
 * and held it below the rate issue 17 asks of it (bench/README.md). Field numbers are those of
 * streams.proto: ReadResp.event = 1; ReadEvent.event = 1 and commit_position = 3; RecordedEvent id 1,
 * stream_identifier 2, stream_revision 3, prepare_position 4, commit_position 5, metadata 6 (a map:
 * entries of key 1 and value 2), custom_metadata 7, data 8; UUID structured 1 (most 1, least 2) or
 * string 2; StreamIdentifier.stream_name 3. wire-encoder.spec.ts decodes what this writes with the
 * generic decoder of the same .proto.
 */
const LEN = 2;
const VARINT = 0;
const tag = (field: number, wire: number): number => (field << 3) | wire;

/** An unsigned 64-bit number as its low and high 32 bits. */
interface U64Parts {
  readonly lo: number;
  readonly hi: number;
}

const TWO_32 = 2 ** 32;

/** A non-negative decimal (a position, a revision) as 64-bit parts; beyond 2^53 through BigInt, exactly. */
export const u64Parts = (value: string | number): U64Parts => {
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isSafeInteger(n) && n >= 0) return { lo: n >>> 0, hi: Math.floor(n / TWO_32) };
  const big = BigInt.asUintN(64, BigInt(value));
  return { lo: Number(big & 0xffffffffn), hi: Number(big >> 32n) };
};

const varintSize = (v: number): number => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);

const varint64Size = ({ lo, hi }: U64Parts): number => {
  if (hi === 0) return varintSize(lo);
  // Seven bits a byte, up to the top set bit of the whole 64-bit number.
  return Math.ceil((64 - Math.clz32(hi)) / 7);
};

/** Writes bytes into a buffer from a position; each write returns the position after it. */
const putVarint = (buf: Buffer, at: number, v: number): number => {
  let p = at;
  let x = v >>> 0;
  while (x > 0x7f) {
    buf[p++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  buf[p++] = x;
  return p;
};

const putVarint64 = (buf: Buffer, at: number, { lo, hi }: U64Parts): number => {
  let p = at;
  let l = lo >>> 0;
  let h = hi >>> 0;
  while (h !== 0) {
    buf[p++] = (l & 0x7f) | 0x80;
    l = ((l >>> 7) | (h << 25)) >>> 0;
    h >>>= 7;
  }
  return putVarint(buf, p, l);
};

/** A length-delimited field's size: its tag, its length and its bytes. */
const fieldSize = (n: number): number => 1 + varintSize(n) + n;

type Bytes = string | Buffer;

/**
 * Short text (ids, names, types, tick counts) is mostly ASCII: measured and copied in JavaScript it
 * costs less than the two calls into Node's native UTF-8 code it would take otherwise, which cost
 * more than protobufjs's whole encoding. Long text (data, metadata) goes to the native code once.
 */
const SHORT = 64;
const textLength = (s: string): number => {
  if (s.length > SHORT) return Buffer.byteLength(s);
  for (let i = 0; i < s.length; i += 1) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s);
  return s.length;
};
const putText = (buf: Buffer, at: number, s: string, n: number): number => {
  if (n === s.length && n <= SHORT) {
    for (let i = 0; i < n; i += 1) buf[at + i] = s.charCodeAt(i);
    return at + n;
  }
  return at + buf.write(s, at, n, 'utf8');
};
const byteLength = (b: Bytes): number => (typeof b === 'string' ? textLength(b) : b.length);
const putBytes = (buf: Buffer, at: number, b: Bytes, n: number): number => {
  if (typeof b === 'string') return putText(buf, at, b, n);
  b.copy(buf, at);
  return at + n;
};

/** The content type, data and custom metadata of an event appended through the gateway (event-shape.ts). */
const appendedParts = (e: ShownEvent): { contentType: string; data: Bytes; custom: Bytes } => {
  const wire = toWireEvent(e, '0', false);
  return { contentType: wire.metadata['content-type'] ?? JSON_CONTENT, data: wire.data, custom: wire.custom_metadata };
};

/** The two halves of a UUID, as Java's signed longs go on the wire (the same bytes as their unsigned value). */
const uuidHalves = (id: string): [U64Parts, U64Parts] => {
  const digits = id.replace(/-/g, '');
  const word = (from: number): number => Number.parseInt(digits.slice(from, from + 8), 16);
  return [
    { hi: word(0), lo: word(8) },
    { hi: word(16), lo: word(24) },
  ];
};

const entrySize = (key: string, value: string): number =>
  fieldSize(fieldSize(textLength(key)) + fieldSize(textLength(value)));

const putEntry = (buf: Buffer, at: number, key: string, value: string): number => {
  const k = textLength(key);
  const v = textLength(value);
  let p = putVarint(buf, at, tag(6, LEN));
  p = putVarint(buf, p, fieldSize(k) + fieldSize(v));
  p = putVarint(buf, p, tag(1, LEN));
  p = putVarint(buf, p, k);
  p = putText(buf, p, key, k);
  p = putVarint(buf, p, tag(2, LEN));
  p = putVarint(buf, p, v);
  return putText(buf, p, value, v);
};

/** One event as ReadResp{event{event, commit_position}}, with its id as the client asked (string or halves). */
export const encodeReadEvent = (e: ShownEvent, commit: string, structuredIds: boolean): Buffer => {
  // Plain locals rather than an object of parts: this runs once per event of every read.
  let contentType = JSON_CONTENT;
  let data: Bytes;
  let custom: Bytes;
  if (hasGatewayMetadata(e.metadata)) ({ contentType, data, custom } = appendedParts(e));
  else {
    data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
    custom = typeof e.metadata === 'string' ? e.metadata : JSON.stringify(e.metadata);
  }
  const id = e.eventId;
  const stream = exposedName(e.streamId);
  const created = e.recordedMs === undefined ? createdTicks(e.recordedAt) : `${e.recordedMs}0000`;
  const type = e.type;

  const position = u64Parts(commit);
  const revision = u64Parts(e.streamPosition);
  const positionSize = varint64Size(position);

  const halves = structuredIds ? uuidHalves(id) : undefined;
  const idBytes = halves ? 2 + varint64Size(halves[0]) + varint64Size(halves[1]) : textLength(id);
  const idBody = fieldSize(idBytes);
  const streamBytes = textLength(stream);
  const streamBody = fieldSize(streamBytes);
  const customBytes = byteLength(custom);
  const dataBytes = byteLength(data);
  const recorded =
    fieldSize(idBody) +
    fieldSize(streamBody) +
    1 +
    varint64Size(revision) +
    2 * (1 + positionSize) +
    entrySize('type', type) +
    entrySize('created', created) +
    entrySize('content-type', contentType) +
    (customBytes > 0 ? fieldSize(customBytes) : 0) +
    (dataBytes > 0 ? fieldSize(dataBytes) : 0);
  const readEvent = fieldSize(recorded) + 1 + positionSize;
  const buf = Buffer.allocUnsafe(fieldSize(readEvent));

  let p = putVarint(buf, 0, tag(1, LEN)); // ReadResp.event
  p = putVarint(buf, p, readEvent);
  p = putVarint(buf, p, tag(1, LEN)); // ReadEvent.event
  p = putVarint(buf, p, recorded);
  p = putVarint(buf, p, tag(1, LEN)); // RecordedEvent.id
  p = putVarint(buf, p, idBody);
  if (halves) {
    p = putVarint(buf, p, tag(1, LEN));
    p = putVarint(buf, p, idBytes);
    p = putVarint(buf, p, tag(1, VARINT));
    p = putVarint64(buf, p, halves[0]);
    p = putVarint(buf, p, tag(2, VARINT));
    p = putVarint64(buf, p, halves[1]);
  } else {
    p = putVarint(buf, p, tag(2, LEN));
    p = putVarint(buf, p, idBytes);
    p = putText(buf, p, id, idBytes);
  }
  p = putVarint(buf, p, tag(2, LEN)); // RecordedEvent.stream_identifier
  p = putVarint(buf, p, streamBody);
  p = putVarint(buf, p, tag(3, LEN));
  p = putVarint(buf, p, streamBytes);
  p = putText(buf, p, stream, streamBytes);
  p = putVarint(buf, p, tag(3, VARINT));
  p = putVarint64(buf, p, revision);
  p = putVarint(buf, p, tag(4, VARINT));
  p = putVarint64(buf, p, position);
  p = putVarint(buf, p, tag(5, VARINT));
  p = putVarint64(buf, p, position);
  p = putEntry(buf, p, 'type', type);
  p = putEntry(buf, p, 'created', created);
  p = putEntry(buf, p, 'content-type', contentType);
  if (customBytes > 0) {
    p = putVarint(buf, p, tag(7, LEN));
    p = putVarint(buf, p, customBytes);
    p = putBytes(buf, p, custom, customBytes);
  }
  if (dataBytes > 0) {
    p = putVarint(buf, p, tag(8, LEN));
    p = putVarint(buf, p, dataBytes);
    p = putBytes(buf, p, data, dataBytes);
  }
  p = putVarint(buf, p, tag(3, VARINT)); // ReadEvent.commit_position
  p = putVarint64(buf, p, position);
  if (p !== buf.length) throw new Error(`encoded ${p} bytes of the ${buf.length} computed for event ${e.eventId}`);
  return buf;
};
