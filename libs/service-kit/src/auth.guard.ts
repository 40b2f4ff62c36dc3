import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthenticatedError } from '@tashghil/event-store';
import type { Request } from 'express';
import { verifyToken, type Identity, type KeySetSettings, type TokenSettings } from './identity';

const PUBLIC = 'tashghil:public';

/** Health, metrics and API docs answer without a token; nothing else does. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

export type AuthedRequest = Request & { identity?: Identity; correlationId?: string };

/** RFC 7235: the scheme's name is case-insensitive. */
const bearerOf = (req: Request): string | undefined => /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];

/**
 * Whether the request carries a token this service accepts: the rate limiter spares those. The
 * identity it verified stays on the request, so the guard does not verify the same token again.
 */
export const hasValidToken = (settings: TokenSettings | KeySetSettings, req: AuthedRequest): boolean => {
  const token = bearerOf(req);
  if (token === undefined) return false;
  try {
    req.identity = verifyToken(settings, token);
    return true;
  } catch {
    return false;
  }
};

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: TokenSettings | KeySetSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerOf(req);
    if (token === undefined) {
      throw new UnauthenticatedError(
        'MISSING_TOKEN',
        'send an Authorization: Bearer <token> header (npm run token mints one for development)',
      );
    }
    req.identity ??= verifyToken(this.settings, token);
    return true;
  }
}

export const identityOf = (req: AuthedRequest): Identity => {
  if (!req.identity) throw new UnauthenticatedError('MISSING_TOKEN', 'no verified identity on this request');
  return req.identity;
};
