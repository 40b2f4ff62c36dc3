import { createPrivateKey, createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ForbiddenError, UnauthenticatedError } from '@tashghil/event-store';

/**
 * Every role a token may carry. `pipeline` is a system that follows the store's log (through the
 * KurrentDB gateway); the HTTP API grants it nothing.
 */
export const ROLES = ['officer', 'committee', 'auditor', 'employer', 'association', 'admin', 'pipeline'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, as the verified token says. Region-scoped roles carry their region. */
export interface Identity {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly region?: string;
  /** The employer, association or cooperative an organisation role acts for. */
  readonly org?: string;
}

export type Algorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/**
 * One key of a key set. Its algorithm is fixed when the key is loaded and never taken from a token:
 * a token that names another algorithm (HS256 over an RSA public key, or "none") is refused.
 */
export interface VerificationKey {
  /** Absent only for the single TASHGHIL_JWT_SECRET, which verifies tokens that name no key. */
  readonly kid?: string;
  readonly alg: Algorithm;
  readonly key: KeyObject;
}

export type KeySet = readonly VerificationKey[];

/** One HS256 secret, for minting and verifying: the development set-up, and every test. */
export interface TokenSettings {
  readonly secret: string;
  readonly issuer: string;
  readonly audience: string;
}

/** What a service verifies with: every key it accepts, selected by the token header's `kid`. */
export interface KeySetSettings {
  readonly keys: KeySet;
  readonly issuer: string;
  readonly audience: string;
}

/** A private (or symmetric) key that signs tokens naming it by `kid`, for tests and the token CLI. */
export interface SigningSettings {
  readonly signingKey: VerificationKey & { readonly kid: string };
  readonly issuer: string;
  readonly audience: string;
}

const CURVES: Readonly<Record<string, Algorithm>> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The algorithms a JWK's type allows; its own `alg`, when given, must be one of them. */
const algorithmOf = (jwk: Record<string, unknown>, name: string): Algorithm => {
  const allowed: readonly Algorithm[] =
    jwk.kty === 'RSA'
      ? ['RS256', 'RS384', 'RS512']
      : jwk.kty === 'oct'
        ? ['HS256', 'HS384', 'HS512']
        : jwk.kty === 'EC' && typeof jwk.crv === 'string' && CURVES[jwk.crv]
          ? [CURVES[jwk.crv] as Algorithm]
          : [];
  const [fallback] = allowed;
  if (fallback === undefined)
    throw new Error(
      `${name}: kty ${String(jwk.kty)}${jwk.kty === 'EC' ? ` on curve ${String(jwk.crv)}` : ''} is not supported (RSA, EC on P-256/P-384/P-521, or oct)`,
    );
  if (jwk.alg === undefined) return fallback;
  if (!allowed.includes(jwk.alg as Algorithm))
    throw new Error(`${name}: alg ${String(jwk.alg)} does not fit kty ${String(jwk.kty)} (use ${allowed.join(', ')})`);
  return jwk.alg as Algorithm;
};

/** RFC 7518 §3.2: an HMAC key at least as long as the hash it is used with. */
const symmetricKey = (jwk: Record<string, unknown>, alg: Algorithm, name: string): KeyObject => {
  if (typeof jwk.k !== 'string' || jwk.k === '')
    throw new Error(`${name}: an oct key needs its secret in k (base64url)`);
  const bytes = Buffer.from(jwk.k, 'base64url');
  const least = Number(alg.slice(2)) / 8;
  if (bytes.length < least)
    throw new Error(`${name}: an ${alg} secret needs at least ${least} bytes, not ${bytes.length}`);
  return createSecretKey(bytes);
};

const keyFromJwk = (jwk: Record<string, unknown>, name: string, use: 'verify' | 'sign'): VerificationKey => {
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new Error(`${name}: use is ${String(jwk.use)}, not sig`);
  const alg = algorithmOf(jwk, name);
  const kid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined;
  if (jwk.kty === 'oct') return { ...(kid ? { kid } : {}), alg, key: symmetricKey(jwk, alg, name) };
  // A verifier that holds private keys is one leak away from minting tokens.
  if (use === 'verify' && jwk.d !== undefined)
    throw new Error(`${name}: holds a private key (d); give the services the public key only`);
  if (use === 'sign' && jwk.d === undefined)
    throw new Error(`${name}: is a public key; signing needs the private key (d)`);
  const options = { key: jwk as JsonWebKey, format: 'jwk' } as const;
  try {
    return {
      ...(kid ? { kid } : {}),
      alg,
      key: use === 'verify' ? createPublicKey(options) : createPrivateKey(options),
    };
  } catch (error) {
    throw new Error(`${name}: not a valid ${String(jwk.kty)} key: ${(error as Error).message}`);
  }
};

/**
 * Reads a JWKS (`{"keys": [...]}`) of public RSA or EC keys, and symmetric `oct` keys if need be.
 * Every key needs a `kid`, unique in the set: during a rotation the old and the new key both verify.
 * Throws an Error saying which key is wrong and why.
 */
export const parseKeySet = (text: string): KeySet => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(doc) || !Array.isArray(doc.keys) || doc.keys.length === 0)
    throw new Error('must be a JWKS, {"keys": [...]}, with at least one key');
  const kids = new Set<string>();
  return doc.keys.map((raw: unknown, i) => {
    if (!isRecord(raw)) throw new Error(`key ${i} is not a JSON object`);
    if (typeof raw.kid !== 'string' || raw.kid === '') throw new Error(`key ${i} has no kid`);
    if (kids.has(raw.kid)) throw new Error(`kid ${raw.kid} appears twice`);
    kids.add(raw.kid);
    return keyFromJwk(raw, `key ${raw.kid}`, 'verify');
  });
};

/** A private JWK (RSA or EC with its `d`, or `oct`) to sign with; `kid` overrides the JWK's own. */
export const signingKeyFromJwk = (jwk: unknown, kid?: string): SigningSettings['signingKey'] => {
  if (!isRecord(jwk)) throw new Error('a JWK is a JSON object');
  const key = keyFromJwk(jwk, 'the signing key', 'sign');
  const name = kid ?? key.kid;
  if (name === undefined) throw new Error('the signing key has no kid: give one');
  return { ...key, kid: name };
};

/** The key set of one that a plain HS256 secret makes. */
export const secretKeySet = (secret: string): KeySet => [
  { alg: 'HS256', key: createSecretKey(Buffer.from(secret, 'utf8')) },
];

export const mintToken = (
  settings: TokenSettings | SigningSettings,
  identity: Identity,
  ttlSeconds = 8 * 3600,
): string => {
  const claims = {
    roles: identity.roles,
    ...(identity.region ? { region: identity.region } : {}),
    ...(identity.org ? { org: identity.org } : {}),
  };
  const common = { subject: identity.sub, issuer: settings.issuer, audience: settings.audience, expiresIn: ttlSeconds };
  if ('secret' in settings) return jwt.sign(claims, settings.secret, { ...common, algorithm: 'HS256' });
  const { signingKey } = settings;
  return jwt.sign(claims, signingKey.key, { ...common, algorithm: signingKey.alg, keyid: signingKey.kid });
};

const refused = (why: string): UnauthenticatedError =>
  new UnauthenticatedError('INVALID_TOKEN', `the bearer token was refused: ${why}`);

/** The key a token names; a token that names none is checked against the kid-less secret only. */
const keyFor = (keys: KeySet, header: jwt.JwtHeader): VerificationKey => {
  if (header.kid !== undefined && typeof header.kid !== 'string') throw refused('its kid is not a string');
  const key = keys.find((k) => k.kid === header.kid);
  if (key) return key;
  throw refused(
    header.kid === undefined
      ? 'it names no key (kid), and this service verifies by kid'
      : `no key ${header.kid} in this service's key set`,
  );
};

export const verifyToken = (settings: TokenSettings | KeySetSettings, token: string): Identity => {
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null || typeof decoded.payload === 'string') throw refused('it is not a JSON web token');
  const key = keyFor('keys' in settings ? settings.keys : secretKeySet(settings.secret), decoded.header);
  let claims: jwt.JwtPayload;
  try {
    const verified = jwt.verify(token, key.key, {
      algorithms: [key.alg],
      issuer: settings.issuer,
      audience: settings.audience,
    });
    if (typeof verified === 'string') throw new Error('unexpected string payload');
    claims = verified;
  } catch (error) {
    throw refused((error as Error).message);
  }
  // A token without an expiry would stay valid for as long as its key does.
  if (typeof claims.exp !== 'number') throw refused('it has no expiry (exp)');
  const roles = Array.isArray(claims.roles)
    ? claims.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r))
    : [];
  if (!claims.sub || roles.length === 0)
    throw new UnauthenticatedError('INVALID_TOKEN', 'the token names no subject or no known role');
  return {
    sub: claims.sub,
    roles,
    ...(typeof claims.region === 'string' ? { region: claims.region } : {}),
    ...(typeof claims.org === 'string' ? { org: claims.org } : {}),
  };
};

const REGION_SCOPED: readonly Role[] = ['officer', 'committee'];
const ORGANISATIONS: readonly Role[] = ['employer', 'association'];

/**
 * The region rule every command handler applies: admin everywhere; an auditor reads everywhere and
 * writes nowhere; an officer or committee member only in their own region. An employer, association
 * or cooperative reaches the files it owns (its token's `org` is the file's `owner`): it reads them,
 * and writes where `writers` names its role.
 */
export const assertRegionAccess = (
  who: Identity,
  region: string,
  access: 'read' | 'write',
  writers: readonly Role[] = ['officer', 'admin'],
  owner?: string,
): void => {
  if (who.roles.includes('admin')) return;
  if (access === 'read' && who.roles.includes('auditor')) return;
  if (
    owner !== undefined &&
    who.org === owner &&
    who.roles.some((r) => ORGANISATIONS.includes(r)) &&
    (access === 'read' || who.roles.some((r) => writers.includes(r)))
  )
    return;
  if (access === 'write' && !who.roles.some((r) => writers.includes(r))) {
    throw new ForbiddenError(
      'ROLE_NOT_ALLOWED',
      `roles ${who.roles.join(', ')} may not do this; it needs one of ${writers.join(', ')}`,
    );
  }
  if (who.roles.some((r) => REGION_SCOPED.includes(r)) && who.region === region) return;
  const asked = region === '*' ? 'the national scope' : `region ${region}`;
  throw new ForbiddenError(
    'REGION_OUT_OF_SCOPE',
    who.region
      ? `your token covers region ${who.region}, not ${asked}`
      : `your token is bound to no region, so it does not reach ${asked}`,
  );
};

/** The same rule as a yes or no, for lists that show a caller only what they may read. */
export const mayRead = (who: Identity, region: string, owner?: string): boolean => {
  try {
    assertRegionAccess(who, region, 'read', undefined, owner);
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
};
