import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { testBackends } from '@tashghil/event-store';
import { openHarness, type Harness } from './judges/harness';
import { serverFeaturesService } from './protocol';

interface Supported {
  methods: Array<{ method_name: string; service_name: string; features?: string[] }>;
  event_store_server_version: string;
}

const Features = makeGenericClientConstructor(serverFeaturesService, 'ServerFeatures');

for (const backend of testBackends()) {
  describe(`ServerFeatures on ${backend.name}`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await openHarness(backend);
    });
    afterAll(() => harness.close());

    it('advertises exactly the Streams methods the gateway serves, and no persistent subscription', async () => {
      const client = new Features(harness.address, credentials.createInsecure());
      const answer = await new Promise<Supported>((resolve, reject) =>
        (
          client as unknown as {
            GetSupportedMethods: (r: object, cb: (e: ServiceError | null, v: Supported) => void) => void;
          }
        ).GetSupportedMethods({}, (error, value) => (error ? reject(error) : resolve(value))),
      );
      client.close();
      expect(answer.methods.map((m) => `${m.service_name}/${m.method_name}`).sort()).toEqual([
        'event_store.client.streams.streams/append',
        'event_store.client.streams.streams/batchappend',
        'event_store.client.streams.streams/delete',
        'event_store.client.streams.streams/read',
        'event_store.client.streams.streams/tombstone',
      ]);
      expect(answer.event_store_server_version).toMatch(/^\d+\.\d+\.\d+$/);
    });
  });
}
