import jwt from 'jsonwebtoken';
import { ForbiddenError, UnauthenticatedError } from '@tashghil/event-store';

export const ROLES = ['officer', 'committee', 'auditor', 'employer', 'association', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, as the verified token says. Region-scoped roles carry their region. */
export interface Identity {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly region?: string;
  /** The employer, association or cooperative an organisation role acts for. */
  readonly org?: string;
}

export interface TokenSettings {
  readonly secret: string;
  readonly issuer: string;
  readonly audience: string;
}

export const mintToken = (settings: TokenSettings, identity: Identity, ttlSeconds = 8 * 3600): string =>
  jwt.sign({ roles: identity.roles, ...(identity.region ? { region: identity.region } : {}), ...(identity.org ? { org: identity.org } : {}) }, settings.secret, {
    algorithm: 'HS256',
    subject: identity.sub,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: ttlSeconds,
  });

export const verifyToken = (settings: TokenSettings, token: string): Identity => {
  let claims: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, settings.secret, { algorithms: ['HS256'], issuer: settings.issuer, audience: settings.audience });
    if (typeof decoded === 'string') throw new Error('unexpected string payload');
    claims = decoded;
  } catch (error) {
    throw new UnauthenticatedError('INVALID_TOKEN', `the bearer token was refused: ${(error as Error).message}`);
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) : [];
  if (!claims.sub || roles.length === 0) throw new UnauthenticatedError('INVALID_TOKEN', 'the token names no subject or no known role');
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
  who: Identity, region: string, access: 'read' | 'write', writers: readonly Role[] = ['officer', 'admin'], owner?: string,
): void => {
  if (who.roles.includes('admin')) return;
  if (access === 'read' && who.roles.includes('auditor')) return;
  if (owner !== undefined && who.org === owner && who.roles.some((r) => ORGANISATIONS.includes(r)) && (access === 'read' || who.roles.some((r) => writers.includes(r)))) return;
  if (access === 'write' && !who.roles.some((r) => writers.includes(r))) {
    throw new ForbiddenError('ROLE_NOT_ALLOWED', `roles ${who.roles.join(', ')} may not do this; it needs one of ${writers.join(', ')}`);
  }
  if (who.roles.some((r) => REGION_SCOPED.includes(r)) && who.region === region) return;
  throw new ForbiddenError('REGION_OUT_OF_SCOPE', `your token covers region ${who.region ?? 'none'}, not ${region}`);
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
