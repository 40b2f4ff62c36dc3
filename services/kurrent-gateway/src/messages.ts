/**
 * The shapes of the protocol's messages as protocol.ts decodes them (uint64 as decimal strings,
 * oneofs named by the field that is set) and as it encodes them. Only the fields the gateway reads
 * or writes are listed.
 */
export type Empty = Record<string, never>;
export type U64 = string | number;

export interface Uuid {
  readonly value?: 'structured' | 'string';
  readonly string?: string;
  readonly structured?: { readonly most_significant_bits: string; readonly least_significant_bits: string };
}

export interface StreamIdentifier {
  readonly stream_name?: Buffer;
}

export interface WirePosition {
  readonly commit_position?: string;
  readonly prepare_position?: string;
}

export interface Expression {
  readonly regex?: string;
  readonly prefix?: readonly string[];
}

export interface FilterOptions {
  readonly filter?: 'stream_identifier' | 'event_type';
  readonly stream_identifier?: Expression;
  readonly event_type?: Expression;
  readonly window?: 'max' | 'count';
  readonly max?: number;
  readonly checkpointIntervalMultiplier?: number;
}

export interface ReadOptions {
  readonly stream_option?: 'stream' | 'all';
  readonly stream?: {
    readonly stream_identifier?: StreamIdentifier;
    readonly revision_option?: 'revision' | 'start' | 'end';
    readonly revision?: string;
  };
  readonly all?: { readonly all_option?: 'position' | 'start' | 'end'; readonly position?: WirePosition };
  /** 0 forwards, 1 backwards. */
  readonly read_direction?: number;
  readonly resolve_links?: boolean;
  readonly count_option?: 'count' | 'subscription';
  readonly count?: string;
  readonly filter_option?: 'filter' | 'no_filter';
  readonly filter?: FilterOptions;
  readonly uuid_option?: { readonly content?: 'structured' | 'string' };
}

export interface ReadReq {
  readonly options?: ReadOptions;
}

export interface RecordedEventOut {
  id: Uuid;
  stream_identifier: { stream_name: Buffer };
  stream_revision: U64;
  prepare_position: U64;
  commit_position: U64;
  metadata: Record<string, string>;
  custom_metadata: Buffer;
  data: Buffer;
}

export interface OutPosition {
  commit_position: U64;
  prepare_position: U64;
}

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export type ReadResp =
  | { event: { event: RecordedEventOut; commit_position?: U64; no_position?: Empty } }
  | { confirmation: { subscription_id: string } }
  | { checkpoint: OutPosition & { timestamp: Timestamp } }
  | { stream_not_found: { stream_identifier: { stream_name: Buffer } } }
  | { caught_up: { timestamp: Timestamp; stream_revision?: U64; position?: OutPosition } };

export type ExpectedRevisionCase = 'revision' | 'stream_position' | 'no_stream' | 'any' | 'stream_exists';

export interface ProposedMessage {
  readonly id?: Uuid;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly custom_metadata?: Buffer;
  readonly data?: Buffer;
}

export interface AppendReq {
  readonly content?: 'options' | 'proposed_message';
  readonly options?: {
    readonly stream_identifier?: StreamIdentifier;
    readonly expected_stream_revision?: ExpectedRevisionCase;
    readonly revision?: string;
  };
  readonly proposed_message?: ProposedMessage;
}

export interface BatchAppendReq {
  readonly correlation_id?: Uuid;
  readonly options?: {
    readonly stream_identifier?: StreamIdentifier;
    readonly expected_stream_position?: ExpectedRevisionCase;
    readonly stream_position?: string;
  };
  readonly proposed_messages?: readonly ProposedMessage[];
  readonly is_final?: boolean;
}

export interface DeleteReq {
  readonly options?: {
    readonly stream_identifier?: StreamIdentifier;
    readonly expected_stream_revision?: ExpectedRevisionCase;
    readonly revision?: string;
  };
}

export const nowTimestamp = (): Timestamp => {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
};

export const streamNameOf = (id: StreamIdentifier | undefined): string =>
  id?.stream_name ? Buffer.from(id.stream_name).toString('utf8') : '';
