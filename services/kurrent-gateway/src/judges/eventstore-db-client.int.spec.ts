import * as client from '@eventstore/db-client';
import { judgeWith } from './judge-suite';
import { nodeDriver, type NodeClient, type NodeClientModule } from './node-driver';

// Each client in its own suite: both register their generated messages in one global namespace.
judgeWith('@eventstore/db-client', (harness) =>
  nodeDriver(
    '@eventstore/db-client',
    client as unknown as NodeClientModule,
    client.EventStoreDBClient.connectionString(`esdb://${harness.address}?tls=false`) as unknown as NodeClient,
    'eventstore',
  ),
);
