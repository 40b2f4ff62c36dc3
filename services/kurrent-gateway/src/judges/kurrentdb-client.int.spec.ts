import * as client from '@kurrent/kurrentdb-client';
import { judgeWith } from './judge-suite';
import { nodeDriver, type NodeClient, type NodeClientModule } from './node-driver';

// Reads go through the client's native bridge (its own connection); appends and subscriptions through grpc-js.
judgeWith('@kurrent/kurrentdb-client', (harness) =>
  nodeDriver(
    '@kurrent/kurrentdb-client',
    client as unknown as NodeClientModule,
    client.KurrentDBClient.connectionString(`kurrentdb://${harness.address}?tls=false`) as unknown as NodeClient,
    'kurrent',
  ),
);
