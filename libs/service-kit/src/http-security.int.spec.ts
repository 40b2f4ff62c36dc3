import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, Get, Module, Param, Post, Req } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { identityOf, type AuthedRequest } from './auth.guard';
import { startService, type RunningService } from './bootstrap';
import { DEV_JWT_SECRET } from './config';
import { assertRegionAccess, mintToken, signingKeyFromJwk, type Identity } from './identity';

@Controller('files')
class FilesController {
  @Get(':region')
  read(@Param('region') region: string, @Req() req: AuthedRequest): { region: string } {
    assertRegionAccess(identityOf(req), region, 'read');
    return { region };
  }

  @Post()
  create(@Body() body: unknown): { bytes: number } {
    return { bytes: JSON.stringify(body).length };
  }
}

@Module({ controllers: [FilesController] })
class FilesModule {}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid });

const claims = { issuer: 'tashghil', audience: 'tashghil' };
const officer: Identity = { sub: 'officer-ma-09', roles: ['officer'], region: 'MA-09' };
const withRsa = (who: Identity, ttl = 600) =>
  mintToken({ signingKey: signingKeyFromJwk(jwk(rsa.privateKey, 'rsa-1')), ...claims }, who, ttl);
const withEc = (who: Identity) =>
  mintToken({ signingKey: signingKeyFromJwk(jwk(ec.privateKey, 'ec-1')), ...claims }, who, 600);

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

interface Answer {
  readonly status: number;
  readonly type: string | null;
  readonly retryAfter: string | null;
  readonly challenge: string | null;
  readonly body: Record<string, unknown>;
}

describe('a started service guards its HTTP API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-http-security-'));
  let service: RunningService;
  let nextClient = 0;

  beforeAll(async () => {
    service = await startService(
      { name: 'kit-security', modules: [FilesModule], consumers: [], relays: [], migrations: [], defaultPort: 0 },
      {
        TASHGHIL_MODE: 'embedded',
        TASHGHIL_DATA_DIR: dataDir,
        PORT: '0',
        TASHGHIL_DEMO: 'false',
        TASHGHIL_JWT_KEYS: JSON.stringify({ keys: [jwk(rsa.publicKey, 'rsa-1'), jwk(ec.publicKey, 'ec-1')] }),
        TASHGHIL_RATE_LIMIT: '60',
        TASHGHIL_RATE_LIMIT_BURST: '5',
        TASHGHIL_TRUST_PROXY: 'loopback',
      },
    );
  }, 120_000);
  afterAll(async () => {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Each test calls from its own address (X-Forwarded-For, trusted from loopback), so buckets do not mix. */
  const client = () => {
    nextClient += 1;
    const ip = `198.51.100.${nextClient}`;
    return async (method: string, path: string, token?: string, body?: string): Promise<Answer> => {
      const res = await fetch(`${service.url}${path}`, {
        method,
        headers: {
          'x-forwarded-for': ip,
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body } : {}),
      });
      const type = res.headers.get('content-type');
      const text = await res.text();
      const parsed = type?.includes('json') && text ? (JSON.parse(text) as Record<string, unknown>) : { text };
      return {
        status: res.status,
        type,
        retryAfter: res.headers.get('retry-after'),
        challenge: res.headers.get('www-authenticate'),
        body: parsed,
      };
    };
  };

  it('answers RS256 and ES256 tokens from its key set', async () => {
    const call = client();
    expect((await call('GET', '/files/MA-09', withRsa(officer))).status).toBe(200);
    expect((await call('GET', '/files/MA-09', withEc(officer))).status).toBe(200);
  });

  it.each([
    ['no token', () => undefined, 'MISSING_TOKEN'],
    ['an expired token', () => withRsa(officer, -30), 'INVALID_TOKEN'],
    [
      'a forged token',
      () => mintToken({ signingKey: signingKeyFromJwk(jwk(stranger.privateKey, 'rsa-1')), ...claims }, officer),
      'INVALID_TOKEN',
    ],
    [
      'an unsigned token',
      () =>
        `${part({ alg: 'none', kid: 'rsa-1' })}.${part({ sub: 'x', roles: ['admin'], exp: 4_000_000_000, ...{ iss: 'tashghil', aud: 'tashghil' } })}.`,
      'INVALID_TOKEN',
    ],
    [
      'a token signed with the development secret the key set leaves out',
      () => mintToken({ secret: DEV_JWT_SECRET, ...claims }, officer),
      'INVALID_TOKEN',
    ],
    [
      'a token from another issuer',
      () =>
        jwt.sign({ roles: ['admin'] }, rsa.privateKey, {
          algorithm: 'RS256',
          keyid: 'rsa-1',
          subject: 's',
          issuer: 'elsewhere',
          audience: 'tashghil',
          expiresIn: 60,
        }),
      'INVALID_TOKEN',
    ],
  ])('answers 401 problem+json to %s', async (_case, token, code) => {
    const answer = await client()('GET', '/files/MA-09', token());
    expect(answer).toMatchObject({
      status: 401,
      type: expect.stringMatching(/^application\/problem\+json/),
      body: { status: 401, code },
    });
    expect(answer.challenge).toBe(
      code === 'MISSING_TOKEN' ? 'Bearer realm="tashghil"' : 'Bearer realm="tashghil", error="invalid_token"',
    );
  });

  it('answers 403 problem+json to a role outside its scope', async () => {
    const answer = await client()('GET', '/files/MA-10', withRsa(officer));
    expect(answer).toMatchObject({
      status: 403,
      type: expect.stringMatching(/^application\/problem\+json/),
      body: { code: 'REGION_OUT_OF_SCOPE' },
    });
  });

  it('answers 413 problem+json to a JSON body over 256 kB', async () => {
    const call = client();
    const big = JSON.stringify({ note: 'x'.repeat(300_000) });
    const answer = await call('POST', '/files', withRsa(officer), big);
    expect(answer).toMatchObject({
      status: 413,
      type: expect.stringMatching(/^application\/problem\+json/),
      body: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect((await call('POST', '/files', withRsa(officer), JSON.stringify({ note: 'x'.repeat(200_000) }))).status).toBe(
      201,
    );
  });

  it('answers 429 problem+json with Retry-After once an address spends its burst without a valid token', async () => {
    const call = client();
    for (let i = 0; i < 5; i += 1) expect((await call('GET', '/health/live')).status).toBe(200);
    const limited = await call('GET', '/health/live');
    expect(limited).toMatchObject({
      status: 429,
      type: expect.stringMatching(/^application\/problem\+json/),
      retryAfter: '1',
      body: { status: 429, code: 'RATE_LIMITED' },
    });
    // A refused token counts as none; a valid one is not counted; another address has its own bucket.
    expect((await call('GET', '/files/MA-09', 'not-a-token')).status).toBe(429);
    expect((await call('GET', '/files/MA-09', withRsa(officer))).status).toBe(200);
    expect((await client()('GET', '/metrics')).status).toBe(200);
  });
});
