import type { Metadata } from '@grpc/grpc-js';
import { ROLES, verifyToken, type KeySetSettings, type Role } from '@tashghil/service-kit';
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
export const GATEWAY_ROLES = ROLES;
export type GatewayRole = Role;

export interface Caller {
  readonly sub: string;
  readonly roles: readonly GatewayRole[];
  readonly region?: string;
}

const READERS: readonly GatewayRole[] = ['auditor', 'admin', 'pipeline'];
const WRITERS: readonly GatewayRole[] = ['admin', 'pipeline'];

export const DEVELOPMENT_CALLER: Caller = { sub: 'plaintext-development', roles: ['admin'] };

/** A token verified as every HTTP service verifies it; a refusal is the access-denied the clients know. */
const verifyCaller = (settings: KeySetSettings, token: string): Caller => {
  try {
    return verifyToken(settings, token);
  } catch (error) {
    throw accessDenied((error as Error).message);
  }
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
