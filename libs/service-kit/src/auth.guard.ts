import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthenticatedError } from '@tashghil/event-store';
import type { Request } from 'express';
import { verifyToken, type Identity, type TokenSettings } from './identity';

const PUBLIC = 'tashghil:public';

/** Health, metrics and API docs answer without a token; nothing else does. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

export type AuthedRequest = Request & { identity?: Identity; correlationId?: string };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: TokenSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      throw new UnauthenticatedError('MISSING_TOKEN', 'send an Authorization: Bearer <token> header (npm run token mints one for development)');
    }
    req.identity = verifyToken(this.settings, header.slice('Bearer '.length).trim());
    return true;
  }
}

export const identityOf = (req: AuthedRequest): Identity => {
  if (!req.identity) throw new UnauthenticatedError('MISSING_TOKEN', 'no verified identity on this request');
  return req.identity;
};
