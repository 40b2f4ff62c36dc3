import { Writer } from 'protobufjs';
import type { RecordedEventOut, U64 } from './messages';

/**
 * ReadResp{event} written field by field, the message a `$all` read sends per event: the generic
 * encoder looks every field up by reflection, which costs more than the rest of the event's way
 * through the gateway. Field numbers are those of streams.proto (ReadResp.event = 1,
 * ReadEvent.event = 1 and commit_position = 3, RecordedEvent 1 to 8, a map entry's key 1 and value 2).
 */
const LEN = 2;
const VARINT = 0;
const tag = (field: number, wire: number): number => (field << 3) | wire;

const u64 = (w: Writer, field: number, value: U64): void => {
  w.uint32(tag(field, VARINT));
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isSafeInteger(n)) w.uint64(n);
  else w.uint64(String(value));
};

const entry = (w: Writer, key: string, value: string): void => {
  w.uint32(tag(6, LEN)).fork().uint32(tag(1, LEN)).string(key).uint32(tag(2, LEN)).string(value).ldelim();
};

export const encodeReadEvent = (e: RecordedEventOut, commit: U64): Buffer => {
  const w = Writer.create();
  w.uint32(tag(1, LEN)).fork(); // ReadResp.event
  w.uint32(tag(1, LEN)).fork(); // ReadEvent.event
  w.uint32(tag(1, LEN)).fork(); // RecordedEvent.id
  if (e.id.string !== undefined) w.uint32(tag(2, LEN)).string(e.id.string);
  else if (e.id.structured) {
    w.uint32(tag(1, LEN)).fork();
    w.uint32(tag(1, VARINT)).int64(e.id.structured.most_significant_bits);
    w.uint32(tag(2, VARINT)).int64(e.id.structured.least_significant_bits);
    w.ldelim();
  }
  w.ldelim();
  w.uint32(tag(2, LEN)).fork().uint32(tag(3, LEN)).bytes(e.stream_identifier.stream_name).ldelim();
  u64(w, 3, e.stream_revision);
  u64(w, 4, e.prepare_position);
  u64(w, 5, e.commit_position);
  for (const [k, v] of Object.entries(e.metadata)) entry(w, k, v);
  if (e.custom_metadata.length > 0) w.uint32(tag(7, LEN)).bytes(e.custom_metadata);
  if (e.data.length > 0) w.uint32(tag(8, LEN)).bytes(e.data);
  w.ldelim(); // RecordedEvent
  u64(w, 3, commit); // ReadEvent.commit_position
  w.ldelim(); // ReadEvent
  const bytes = w.finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
};
