import { createHmac, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  assertRegionAccess,
  mayRead,
  mintToken,
  parseKeySet,
  signingKeyFromJwk,
  verifyToken,
  type Algorithm,
  type Identity,
  type KeySetSettings,
} from './identity';

const settings = { secret: 'unit-secret', issuer: 'tashghil', audience: 'tashghil' };
const officer: Identity = { sub: 'o1', roles: ['officer'], region: 'MA-09' };

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

const messageOf = (f: () => unknown): string => {
  try {
    f();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('tokens signed with the one secret', () => {
  it('round-trips an identity through a signed token', () => {
    expect(verifyToken(settings, mintToken(settings, officer))).toEqual(officer);
  });

  it.each([
    [
      'expired',
      () =>
        jwt.sign({ roles: ['admin'] }, settings.secret, {
          subject: 's',
          issuer: 'tashghil',
          audience: 'tashghil',
          expiresIn: -10,
        }),
    ],
    ['forged', () => mintToken({ ...settings, secret: 'another-secret' }, officer)],
    ['for another audience', () => mintToken({ ...settings, audience: 'elsewhere' }, officer)],
    [
      'unsigned',
      () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["admin"]}').toString('base64url')}.`,
    ],
    [
      'without a known role',
      () => jwt.sign({ roles: ['king'] }, settings.secret, { subject: 's', issuer: 'tashghil', audience: 'tashghil' }),
    ],
  ])('refuses a token that is %s', (_case, make) => {
    expect(codeOf(() => verifyToken(settings, make()))).toBe('INVALID_TOKEN');
  });
});

const pair = (type: 'rsa' | 'ec') =>
  type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwkOf = (key: KeyObject, extra: Record<string, unknown>): JsonWebKey & Record<string, unknown> => ({
  ...key.export({ format: 'jwk' }),
  ...extra,
});

const rsa = pair('rsa');
const rsaNext = pair('rsa');
const ec = pair('ec');
const stranger = pair('rsa');
const hmac = Buffer.alloc(32, 7);
const jwks = {
  keys: [
    jwkOf(rsa.publicKey, { kid: 'rsa-2025', use: 'sig', alg: 'RS256' }),
    jwkOf(rsaNext.publicKey, { kid: 'rsa-2026' }),
    jwkOf(ec.publicKey, { kid: 'ec-1' }),
    { kty: 'oct', kid: 'hs-1', k: hmac.toString('base64url') },
  ],
};
const keyed: KeySetSettings = { keys: parseKeySet(JSON.stringify(jwks)), issuer: 'tashghil', audience: 'tashghil' };

const claims = (extra: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'c1',
    roles: ['committee'],
    region: 'MA-10',
    iss: 'tashghil',
    aud: 'tashghil',
    iat: now,
    exp: now + 600,
    ...extra,
  };
};
const withoutExpiry = () => {
  const { exp: _exp, ...rest } = claims();
  return rest;
};
const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token assembled by hand, so a test can send what no well-behaved library would sign. */
const handMade = (
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  sign: (input: string) => string,
): string => {
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${sign(input)}`;
};
const signed = (
  key: KeyObject | Buffer,
  alg: Algorithm,
  kid: string | undefined,
  payload: Record<string, unknown> = claims(),
): string => jwt.sign(payload, key, { algorithm: alg, ...(kid !== undefined ? { keyid: kid } : {}) });

describe('tokens verified against a key set', () => {
  const committee: Identity = { sub: 'c1', roles: ['committee'], region: 'MA-10' };

  it.each([
    ['RS256', () => signed(rsa.privateKey, 'RS256', 'rsa-2025')],
    ['ES256', () => signed(ec.privateKey, 'ES256', 'ec-1')],
    ['HS256 with an oct key', () => signed(hmac, 'HS256', 'hs-1')],
  ])('accepts %s, picked by kid', (_alg, make) => {
    expect(verifyToken(keyed, make())).toEqual(committee);
  });

  it('accepts the old and the new key while they rotate', () => {
    expect(verifyToken(keyed, signed(rsa.privateKey, 'RS256', 'rsa-2025')).sub).toBe('c1');
    expect(verifyToken(keyed, signed(rsaNext.privateKey, 'RS256', 'rsa-2026')).sub).toBe('c1');
  });

  it('mints with a private JWK and its kid, as the token CLI does', () => {
    const signingKey = signingKeyFromJwk(jwkOf(ec.privateKey, {}), 'ec-1');
    expect(
      verifyToken(keyed, mintToken({ signingKey, issuer: 'tashghil', audience: 'tashghil' }, committee, 60)),
    ).toEqual(committee);
  });

  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['names an unknown kid', () => signed(stranger.privateKey, 'RS256', 'rsa-1999'), /no key rsa-1999/],
    ['names no kid', () => signed(rsa.privateKey, 'RS256', undefined), /names no key/],
    [
      'names a kid that is not a string',
      () => handMade({ alg: 'RS256', kid: 7 }, claims(), () => 'x'),
      /kid is not a string/,
    ],
    [
      'is forged with another key under a known kid',
      () => signed(stranger.privateKey, 'RS256', 'rsa-2025'),
      /invalid signature/,
    ],
    [
      'is unsigned (alg none) under a known kid',
      () => handMade({ alg: 'none', kid: 'rsa-2025' }, claims(), () => ''),
      /signature is required/,
    ],
    [
      'is HS256 keyed with the RSA public key (algorithm confusion)',
      () =>
        handMade({ alg: 'HS256', kid: 'rsa-2025' }, claims(), (input) =>
          createHmac('sha256', rsa.publicKey.export({ format: 'pem', type: 'spki' }))
            .update(input)
            .digest('base64url'),
        ),
      /invalid algorithm/,
    ],
    ["is RS256 under an EC key's kid", () => signed(stranger.privateKey, 'RS256', 'ec-1'), /invalid algorithm/],
    ["is HS512 under an HS256 key's kid", () => signed(hmac, 'HS512', 'hs-1'), /invalid algorithm/],
    [
      'has expired',
      () => signed(rsa.privateKey, 'RS256', 'rsa-2025', claims({ iat: now - 700, exp: now - 100 })),
      /jwt expired/,
    ],
    [
      'is not valid yet',
      () => signed(rsa.privateKey, 'RS256', 'rsa-2025', claims({ nbf: now + 300 })),
      /jwt not active/,
    ],
    ['has no expiry', () => signed(rsa.privateKey, 'RS256', 'rsa-2025', withoutExpiry()), /no expiry/],
    [
      'comes from another issuer',
      () => signed(rsa.privateKey, 'RS256', 'rsa-2025', claims({ iss: 'elsewhere' })),
      /issuer invalid/,
    ],
    [
      'is for another audience',
      () => signed(rsa.privateKey, 'RS256', 'rsa-2025', claims({ aud: 'elsewhere' })),
      /audience invalid/,
    ],
    ['gives no role', () => signed(rsa.privateKey, 'RS256', 'rsa-2025', claims({ roles: [] })), /no known role/],
    ['is not a JWT at all', () => 'not-a-token', /not a JSON web token/],
    ['is signed with the secret a key set does not hold', () => mintToken(settings, officer), /names no key/],
  ])('refuses a token that %s', (_case, make, why) => {
    const token = make();
    expect(codeOf(() => verifyToken(keyed, token))).toBe('INVALID_TOKEN');
    expect(messageOf(() => verifyToken(keyed, token))).toMatch(why);
  });
});

describe('reading a key set', () => {
  const rsaJwk = jwkOf(rsa.publicKey, { kid: 'a' });
  it.each([
    ['text that is not JSON', '{keys', /not JSON/],
    ['a document without keys', '{"keys": []}', /at least one key/],
    ['a key without a kid', JSON.stringify({ keys: [jwkOf(rsa.publicKey, {})] }), /key 0 has no kid/],
    ['the same kid twice', JSON.stringify({ keys: [rsaJwk, rsaJwk] }), /kid a appears twice/],
    ['a private key', JSON.stringify({ keys: [jwkOf(rsa.privateKey, { kid: 'p' })] }), /key p: holds a private key/],
    ['an encryption key', JSON.stringify({ keys: [{ ...rsaJwk, use: 'enc' }] }), /use is enc/],
    [
      'an algorithm its type cannot sign with',
      JSON.stringify({ keys: [{ ...rsaJwk, alg: 'ES256' }] }),
      /alg ES256 does not fit kty RSA/,
    ],
    [
      'an HS256 secret shorter than the hash',
      JSON.stringify({ keys: [{ kty: 'oct', kid: 'h', k: Buffer.alloc(16).toString('base64url') }] }),
      /at least 32 bytes/,
    ],
    [
      'an unsupported curve',
      JSON.stringify({ keys: [jwkOf(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey, { kid: 'k' })] }),
      /on curve secp256k1 is not supported/,
    ],
    [
      'an Ed25519 key',
      JSON.stringify({ keys: [jwkOf(generateKeyPairSync('ed25519').publicKey, { kid: 'e' })] }),
      /kty OKP is not supported/,
    ],
    ['a broken RSA key', JSON.stringify({ keys: [{ kty: 'RSA', kid: 'b', n: 'AQAB' }] }), /key b: not a valid RSA key/],
  ])('refuses %s', (_case, text, why) => {
    expect(() => parseKeySet(text)).toThrow(why);
  });

  it('signs only with a private key', () => {
    expect(() => signingKeyFromJwk(jwkOf(rsa.publicKey, { kid: 'a' }))).toThrow(/signing needs the private key/);
    expect(() => signingKeyFromJwk(jwkOf(rsa.privateKey, {}))).toThrow(/no kid/);
    expect(signingKeyFromJwk(jwkOf(rsa.privateKey, { kid: 'a' })).alg).toBe('RS256');
  });
});

describe('region scope', () => {
  it('lets an officer write in their own region only', () => {
    expect(codeOf(() => assertRegionAccess(officer, 'MA-09', 'write'))).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(officer, 'MA-10', 'write'))).toBe('REGION_OUT_OF_SCOPE');
    expect(codeOf(() => assertRegionAccess(officer, 'MA-10', 'read'))).toBe('REGION_OUT_OF_SCOPE');
  });

  it('tells a token bound to no region that it reaches none, rather than that it "covers region none"', () => {
    const messageOf = (fn: () => void): string => {
      try {
        fn();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(messageOf(() => assertRegionAccess({ sub: 'c', roles: ['committee'] }, 'MA-10', 'read'))).toBe(
      'your token is bound to no region, so it does not reach region MA-10',
    );
    expect(messageOf(() => assertRegionAccess({ sub: 'c', roles: ['committee'] }, '*', 'read'))).toBe(
      'your token is bound to no region, so it does not reach the national scope',
    );
    expect(messageOf(() => assertRegionAccess(officer, 'MA-10', 'read'))).toBe(
      'your token covers region MA-09, not region MA-10',
    );
  });

  it('lets an auditor read everywhere and write nowhere', () => {
    const auditor: Identity = { sub: 'a', roles: ['auditor'] };
    expect(codeOf(() => assertRegionAccess(auditor, 'MA-01', 'read'))).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(auditor, 'MA-01', 'write'))).toBe('ROLE_NOT_ALLOWED');
  });

  it('keeps a committee member to reading in their region unless the action allows them', () => {
    const member: Identity = { sub: 'c', roles: ['committee'], region: 'MA-10' };
    expect(codeOf(() => assertRegionAccess(member, 'MA-10', 'read'))).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(member, 'MA-10', 'write'))).toBe('ROLE_NOT_ALLOWED');
    expect(codeOf(() => assertRegionAccess(member, 'MA-10', 'write', ['committee']))).toBeUndefined();
  });

  it('refuses an employer reading a region report', () => {
    expect(codeOf(() => assertRegionAccess({ sub: 'e', roles: ['employer'], org: 'renault' }, 'MA-01', 'read'))).toBe(
      'REGION_OUT_OF_SCOPE',
    );
  });

  it('lets an organisation read its own files, and write them only where the action names its role', () => {
    const employer: Identity = { sub: 'e', roles: ['employer'], org: 'conserverie-guelmim' };
    expect(
      codeOf(() => assertRegionAccess(employer, 'MA-10', 'read', undefined, 'conserverie-guelmim')),
    ).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(employer, 'MA-10', 'read', undefined, 'another-firm'))).toBe(
      'REGION_OUT_OF_SCOPE',
    );
    expect(
      codeOf(() => assertRegionAccess(employer, 'MA-10', 'write', ['officer', 'employer'], 'conserverie-guelmim')),
    ).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(employer, 'MA-10', 'write', ['committee'], 'conserverie-guelmim'))).toBe(
      'ROLE_NOT_ALLOWED',
    );
    expect(mayRead(employer, 'MA-10', 'conserverie-guelmim')).toBe(true);
    expect(
      mayRead(
        { sub: 'o', roles: ['officer'], region: 'MA-10', org: 'conserverie-guelmim' },
        'MA-09',
        'conserverie-guelmim',
      ),
    ).toBe(false);
  });
});
