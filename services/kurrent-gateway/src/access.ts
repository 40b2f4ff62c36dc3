import type { Metadata } from '@grpc/grpc-js';
import { ROLES, type KeySetSettings } from '@tashghil/service-kit';
import jwt from 'jsonwebtoken';
import { accessDenied } from './errors';

/**
 * Who may do what through the gateway. Over TLS a caller presents a Tashghil bearer token, either
 * as `authorization: Bearer <token>` or as basic credentials whose password is the token and whose
 * user name is its subject (what esdbcat, connection strings and most clients can send). Over
 * plaintext, which is for loopback development only, clients send no credentials and every call
 * acts as the development caller.
 *
 * - `$all` and stream reads: auditor, admin and pipeline. Region-scoped roles (officer, committee)
 *   and organisations are refused: the gateway cannot tell a stream's region from its name, and
 *   those roles have the HTTP API, which applies the region rule.
 * - Appends, soft deletes and tombstones of external streams: admin and pipeline.
 */
export const GATEWAY_ROLES = [...ROLES, 'pipeline'] as const;
export type GatewayRole = (typeof GATEWAY_ROLES)[number];

export interface Caller {
  readonly sub: string;
  readonly roles: readonly GatewayRole[];
  readonly region?: string;
}

const READERS: readonly GatewayRole[] = ['auditor', 'admin', 'pipeline'];
const WRITERS: readonly GatewayRole[] = ['admin', 'pipeline'];

export const DEVELOPMENT_CALLER: Caller = { sub: 'plaintext-development', roles: ['admin'] };

/**
 * Verifies a token as service-kit's verifyToken does (key by kid, the key's own algorithm, issuer,
 * audience, a required expiry), but knowing the `pipeline` role, which service-kit's ROLES does not
 * list yet. Once it does, this is verifyToken.
 */
const verifyCaller = (settings: KeySetSettings, token: string): Caller => {
  const refused = (why: string) => accessDenied(`the token was refused: ${why}`);
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null || typeof decoded.payload === 'string') throw refused('it is not a JSON web token');
  const kid = decoded.header.kid;
  const key = settings.keys.find((k) => k.kid === kid);
  if (!key) throw refused(kid === undefined ? 'it names no key' : `no key ${kid} verifies it`);
  let claims: jwt.JwtPayload;
  try {
    const verified = jwt.verify(token, key.key, {
      algorithms: [key.alg],
      issuer: settings.issuer,
      audience: settings.audience,
    });
    if (typeof verified === 'string') throw new Error('its payload is not an object');
    claims = verified;
  } catch (error) {
    throw refused((error as Error).message);
  }
  if (typeof claims.exp !== 'number') throw refused('it has no expiry (exp)');
  const roles = Array.isArray(claims.roles)
    ? claims.roles.filter((r): r is GatewayRole => (GATEWAY_ROLES as readonly string[]).includes(r))
    : [];
  if (!claims.sub || roles.length === 0) throw refused('it names no subject or no known role');
  return { sub: claims.sub, roles, ...(typeof claims.region === 'string' ? { region: claims.region } : {}) };
};

export class Access {
  constructor(
    /** Unset: plaintext, every call is the development caller. */
    private readonly tokens: KeySetSettings | undefined,
  ) {}

  get secure(): boolean {
    return this.tokens !== undefined;
  }

  /** The caller a call's headers name; throws access denied when they name none that verifies. */
  callerOf(metadata: Metadata): Caller {
    if (!this.tokens) return DEVELOPMENT_CALLER;
    const header = String(metadata.get('authorization')[0] ?? '');
    const bearer = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    if (bearer) return verifyCaller(this.tokens, bearer);
    const basic = /^Basic +(\S+) *$/i.exec(header)?.[1];
    if (basic) {
      const text = Buffer.from(basic, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      const user = colon < 0 ? text : text.slice(0, colon);
      const caller = verifyCaller(this.tokens, colon < 0 ? '' : text.slice(colon + 1));
      if (user !== caller.sub) throw accessDenied(`the user name ${user} is not the subject of the token given`);
      return caller;
    }
    throw accessDenied(
      'send credentials: a Tashghil token as the password of basic credentials (user name: its subject), or as a bearer token',
    );
  }

  mayRead(caller: Caller): void {
    if (caller.roles.some((r) => READERS.includes(r))) return;
    throw accessDenied(
      caller.region
        ? `roles ${caller.roles.join(', ')} of region ${caller.region} do not read through the gateway, which cannot tell a stream's region; use the HTTP API, or a token with one of ${READERS.join(', ')}`
        : `roles ${caller.roles.join(', ')} do not read the store; it needs one of ${READERS.join(', ')}`,
    );
  }

  mayWrite(caller: Caller): void {
    if (caller.roles.some((r) => WRITERS.includes(r))) return;
    throw accessDenied(`roles ${caller.roles.join(', ')} may not append; it needs one of ${WRITERS.join(', ')}`);
  }
}
