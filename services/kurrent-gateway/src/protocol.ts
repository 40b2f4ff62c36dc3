import { join } from 'node:path';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { Root, type Type } from 'protobufjs';

/**
 * The protocol's messages, loaded from the .proto files beside this one (written for the gateway
 * from the wire protocol the clients speak). Field names are kept as on the wire (snake_case).
 */
const root = new Root().loadSync(
  ['streams.proto', 'serverfeatures.proto', 'shared.proto', 'status.proto'].map((f) => join(__dirname, 'protos', f)),
  { keepCase: true },
);

export const messageType = (name: string): Type => root.lookupType(name);

/** uint64 and int64 fields read as decimal strings, so no revision or position loses a digit. */
const READ = { longs: String, oneofs: true, bytes: Buffer } as const;

const method = <Req, Res>(
  service: string,
  name: string,
  request: string,
  response: string,
  streams: { requestStream: boolean; responseStream: boolean },
): MethodDefinition<Req, Res> => {
  const req = messageType(request);
  const res = messageType(response);
  return {
    path: `/${service}/${name}`,
    ...streams,
    originalName: name,
    requestSerialize: (value: Req) => Buffer.from(req.encode(value as object).finish()),
    requestDeserialize: (bytes: Buffer) => req.toObject(req.decode(bytes), READ) as Req,
    // A Buffer is a message already encoded (see wire-encoder.ts).
    responseSerialize: (value: Res) =>
      Buffer.isBuffer(value) ? value : Buffer.from(res.encode(value as object).finish()),
    responseDeserialize: (bytes: Buffer) => res.toObject(res.decode(bytes), READ) as Res,
  };
};

const STREAMS = 'event_store.client.streams.Streams';
const S = 'event_store.client.streams';
const unary = { requestStream: false, responseStream: false };

export const streamsService = {
  Read: method(STREAMS, 'Read', `${S}.ReadReq`, `${S}.ReadResp`, { requestStream: false, responseStream: true }),
  Append: method(STREAMS, 'Append', `${S}.AppendReq`, `${S}.AppendResp`, {
    requestStream: true,
    responseStream: false,
  }),
  Delete: method(STREAMS, 'Delete', `${S}.DeleteReq`, `${S}.DeleteResp`, unary),
  Tombstone: method(STREAMS, 'Tombstone', `${S}.TombstoneReq`, `${S}.TombstoneResp`, unary),
  BatchAppend: method(STREAMS, 'BatchAppend', `${S}.BatchAppendReq`, `${S}.BatchAppendResp`, {
    requestStream: true,
    responseStream: true,
  }),
} satisfies ServiceDefinition;

const FEATURES = 'event_store.client.server_features.ServerFeatures';

export const serverFeaturesService = {
  GetSupportedMethods: method(
    FEATURES,
    'GetSupportedMethods',
    'event_store.client.Empty',
    'event_store.client.server_features.SupportedMethods',
    unary,
  ),
} satisfies ServiceDefinition;

/** Packs a message as google.protobuf.Any, the way BatchAppend errors carry their details. */
export const packAny = (typeName: string, value: object): { type_url: string; value: Buffer } => ({
  type_url: `type.googleapis.com/${typeName}`,
  value: Buffer.from(messageType(typeName).encode(value).finish()),
});
