import { randomUUID } from 'node:crypto';
import { ValidationError, type CommandMetadata } from '@tashghil/event-store';
import type { NextFunction, Response } from 'express';
import { identityOf, type AuthedRequest } from './auth.guard';

const CORRELATION = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's correlation id when it is sane, or makes one; echoes it on the response. */
export const correlationMiddleware = (req: AuthedRequest, res: Response, next: NextFunction): void => {
  const given = req.headers[CORRELATION];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  req.correlationId = id;
  res.setHeader(CORRELATION, id);
  next();
};

/**
 * Everything a decider may not find out for itself. An Idempotency-Key makes the command id, and
 * so the event ids, repeatable: a retried request appends nothing new.
 */
export const commandMetadata = (req: AuthedRequest): CommandMetadata => {
  const who = identityOf(req);
  const key = req.headers['idempotency-key'];
  return {
    now: new Date().toISOString(),
    actor: who.sub,
    roles: who.roles,
    ...(who.region ? { region: who.region } : {}),
    correlationId: req.correlationId ?? randomUUID(),
    commandId: typeof key === 'string' && SAFE_ID.test(key) ? `${who.sub}:${key}` : randomUUID(),
  };
};

/** The If-Match header as a stream version: `"3"`, `W/"3"` or `3`. */
export const expectedVersionFrom = (req: AuthedRequest): number | undefined => {
  const raw = req.headers['if-match'];
  if (typeof raw !== 'string' || raw.trim() === '*') return undefined;
  const m = /^(?:W\/)?"?(-?\d+)"?$/.exec(raw.trim());
  if (m?.[1] === undefined) {
    // Ignoring a header we cannot read would skip the concurrency check the client asked for.
    throw new ValidationError('INVALID_IF_MATCH', 'If-Match must be an ETag this API gave, such as "3"', [
      { path: 'If-Match', message: `cannot read ${JSON.stringify(raw.slice(0, 40))}` },
    ]);
  }
  return Number(m[1]);
};

export const etag = (version: number): string => `"${version}"`;

/** Today's date on the server, in UTC: the day a read-only view is computed for. */
export const today = (): string => new Date().toISOString().slice(0, 10);
