import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDBClient, jsonEvent, START } from '@eventstore/db-client';
import { testBackends } from '@tashghil/event-store';
import { createLogger, mintToken, secretKeySet, type Identity } from '@tashghil/service-kit';
import { startGateway } from '../gateway';
import { openHarness, type Harness } from './harness';

const SECRET = 'a-test-secret-of-at-least-thirty-two-bytes';
const TOKENS = { secret: SECRET, issuer: 'tashghil', audience: 'tashghil' };

/** A self-signed certificate for localhost, made for this run (the clients verify it as their CA). */
const certificate = (dir: string): { cert: string; key: string } => {
  const cert = join(dir, 'gateway.crt');
  const key = join(dir, 'gateway.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
};

// `pipeline` is the gateway's role; service-kit's Identity type does not list it yet.
const token = (identity: { sub: string; roles: string[]; region?: string }): string =>
  mintToken(TOKENS, identity as unknown as Identity);

const drain = async (iterable: AsyncIterable<unknown>): Promise<number> => {
  let n = 0;
  for await (const _ of iterable) n += 1;
  return n;
};

for (const backend of testBackends()) {
  describe(`access to the gateway over TLS on ${backend.name}`, () => {
    let dir: string;
    let harness: Harness;
    let caFile: string;
    const clients: EventStoreDBClient[] = [];
    const as = (sub: string, secret: string): EventStoreDBClient => {
      const c = EventStoreDBClient.connectionString(
        `esdb://${encodeURIComponent(sub)}:${secret}@localhost:${harness.gateway.port}?tls=true&tlsCAFile=${caFile}`,
      );
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kurrent-gateway-'));
      const files = certificate(dir);
      caFile = files.cert;
      harness = await openHarness(backend, {
        tls: {
          cert: readFileSync(files.cert),
          key: readFileSync(files.key),
          tokens: { keys: secretKeySet(SECRET), issuer: TOKENS.issuer, audience: TOKENS.audience },
        },
      });
      await harness.appendAsService(`conventions.convention-${harness.unique()}`, ['ConventionDrafted']);
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await harness?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('an auditor reads $all and may not append', async () => {
      const auditor = as('auditor-1', token({ sub: 'auditor-1', roles: ['auditor'] }));
      expect(await drain(auditor.readAll({ fromPosition: START }))).toBeGreaterThan(0);
      await expect(
        auditor.appendToStream(`ext.feed-${harness.unique()}`, jsonEvent({ type: 'A', data: {} })),
      ).rejects.toMatchObject({
        type: 'access-denied',
      });
    });

    it('the pipeline role appends to an external category and reads $all', async () => {
      const pipeline = as('pipeline-7', token({ sub: 'pipeline-7', roles: ['pipeline'] }));
      const stream = `ext.feed-${harness.unique()}`;
      const result = await pipeline.appendToStream(stream, jsonEvent({ type: 'Fed', data: { n: 1 } }));
      expect(result.nextExpectedRevision).toBe(0n);
      expect(await drain(pipeline.readAll({ fromPosition: START }))).toBeGreaterThan(1);
      const [stored] = await harness.store.readStream(stream);
      expect(stored?.metadata.$kurrent).toMatchObject({ actor: 'pipeline-7' });
    });

    it('a region-scoped role is refused $all and stream reads', async () => {
      const officer = as('officer-1', token({ sub: 'officer-1', roles: ['officer'], region: 'souss-massa' }));
      await expect(drain(officer.readAll({ fromPosition: START }))).rejects.toMatchObject({ type: 'access-denied' });
      await expect(drain(officer.readStream('conventions.convention-1'))).rejects.toMatchObject({
        type: 'access-denied',
      });
    });

    it('no credentials, a forged token or a user name that is not its subject are refused', async () => {
      const anonymous = EventStoreDBClient.connectionString(
        `esdb://localhost:${harness.gateway.port}?tls=true&tlsCAFile=${caFile}`,
      );
      clients.push(anonymous);
      await expect(drain(anonymous.readAll({ fromPosition: START }))).rejects.toMatchObject({ type: 'access-denied' });
      const forged = mintToken(
        { ...TOKENS, secret: 'another-secret-of-at-least-thirty-two-bytes' },
        {
          sub: 'auditor-1',
          roles: ['auditor'],
        },
      );
      await expect(drain(as('auditor-1', forged).readAll({ fromPosition: START }))).rejects.toMatchObject({
        type: 'access-denied',
      });
      const borrowed = token({ sub: 'auditor-1', roles: ['auditor'] });
      await expect(drain(as('someone-else', borrowed).readAll({ fromPosition: START }))).rejects.toMatchObject({
        type: 'access-denied',
      });
    });
  });
}

describe('plaintext', () => {
  it('is refused in production on an address other than loopback, and allowed on loopback', async () => {
    const backend = testBackends()[0];
    if (!backend) throw new Error('no backend');
    const harness = await openHarness(backend);
    const log = createLogger('kurrent-gateway', { level: 'silent' });
    try {
      await expect(
        startGateway({ store: harness.store, host: '0.0.0.0', port: 0, production: true, log }),
      ).rejects.toThrow(/production refuses a plaintext/);
      const loopback = await startGateway({ store: harness.store, host: '127.0.0.1', port: 0, production: true, log });
      await loopback.close();
    } finally {
      await harness.close();
    }
  });
});
