import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import {
  DomainError,
  ForbiddenError,
  IllegalStateError,
  isTransientDatabaseError,
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  WrongExpectedVersionError,
} from '@tashghil/event-store';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly errors?: ReadonlyArray<{ readonly path: string; readonly message: string }>;
  readonly correlationId?: string;
}

const statusOf = (error: DomainError, ifMatch: boolean): number => {
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof WrongExpectedVersionError) return ifMatch ? 412 : 409;
  if (error instanceof IllegalStateError) return 409;
  if (error instanceof UnavailableError) return 503;
  return 422;
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** One place that turns every error into RFC 9457 problem+json, keyed by the error's stable code. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly log?: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const req = host.switchToHttp().getRequest<Request & { correlationId?: string }>();
    const res = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(error, req);
    if (problem.status >= 500) this.log?.error({ err: error, correlationId: req.correlationId }, 'request failed');
    if (problem.status === 503) res.setHeader('Retry-After', '5');
    // RFC 6750: a refused bearer token names the scheme, and says why when a token was sent.
    if (problem.status === 401)
      res.setHeader(
        'WWW-Authenticate',
        problem.code === 'MISSING_TOKEN' ? 'Bearer realm="tashghil"' : 'Bearer realm="tashghil", error="invalid_token"',
      );
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(error: unknown, req: Request & { correlationId?: string }): Problem {
    const base = { instance: req.originalUrl, ...(req.correlationId ? { correlationId: req.correlationId } : {}) };
    const undecodable = undecodableParam(error);
    if (undecodable !== undefined) {
      return {
        type: 'urn:tashghil:problem:malformed_path',
        title: TITLES[400] ?? '',
        status: 400,
        code: 'MALFORMED_PATH',
        detail: 'a path segment is not percent-encoded UTF-8',
        errors: [{ path: 'path', message: `cannot decode ${JSON.stringify(undecodable.slice(0, 100))}` }],
        ...base,
      };
    }
    if (error instanceof DomainError) {
      const status = statusOf(error, req.headers['if-match'] !== undefined);
      return {
        type: `urn:tashghil:problem:${error.code.toLowerCase()}`,
        title: TITLES[status] ?? 'Error',
        status,
        detail: error.message,
        code: error.code,
        ...(error instanceof ValidationError ? { errors: error.fields } : {}),
        ...base,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const malformed = status === 400 && /JSON/i.test(error.message);
      const code =
        status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 404
            ? 'ROUTE_NOT_FOUND'
            : malformed
              ? 'MALFORMED_JSON'
              : `HTTP_${status}`;
      const detail = malformed ? `the body is not valid JSON: ${error.message}` : error.message;
      return {
        type: `urn:tashghil:problem:${code.toLowerCase()}`,
        title: TITLES[status] ?? 'Error',
        status,
        detail,
        code,
        ...(malformed ? { errors: [{ path: 'body', message: error.message }] } : {}),
        ...base,
      };
    }
    const bodyError = bodyParserError(error);
    if (bodyError) return { ...bodyError, ...base };
    if (isTransientDatabaseError(error)) {
      return {
        type: 'urn:tashghil:problem:unavailable',
        title: TITLES[503] ?? '',
        status: 503,
        detail: 'the database is unavailable; try again shortly',
        code: 'UNAVAILABLE',
        ...base,
      };
    }
    return {
      type: 'urn:tashghil:problem:internal',
      title: TITLES[500] ?? '',
      status: 500,
      detail: 'an unexpected error occurred',
      code: 'INTERNAL',
      ...base,
    };
  }
}

/**
 * Errors the body parsers raise before any controller runs: http-errors with a `type`, and the
 * inflate errors of a body that says it is compressed and is not, which carry only `status` and
 * `expose`.
 */
const bodyParserError = (error: unknown): Omit<Problem, 'instance' | 'correlationId'> | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, message, limit, expose } = error as {
    type?: unknown;
    status?: unknown;
    message?: unknown;
    limit?: unknown;
    expose?: unknown;
  };
  if (type === 'entity.too.large') {
    return {
      type: 'urn:tashghil:problem:payload_too_large',
      title: TITLES[413] ?? '',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      detail: `the body is larger than the ${String(limit)} bytes allowed`,
    };
  }
  const errors = [{ path: 'body', message: String(message) }];
  if (type === 'entity.parse.failed') {
    return {
      type: 'urn:tashghil:problem:malformed_json',
      title: TITLES[400] ?? '',
      status: 400,
      code: 'MALFORMED_JSON',
      detail: `the body is not valid JSON: ${String(message)}`,
      errors,
    };
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && (typeof type === 'string' || expose === true)) {
    // 415: a charset or Content-Encoding the parsers cannot read.
    const code = status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_BODY';
    return {
      type: `urn:tashghil:problem:${code.toLowerCase()}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      detail: String(message),
      errors,
    };
  }
  return undefined;
};

/**
 * The value of a path parameter the router could not percent-decode ('%ff', half a UTF-8
 * sequence), which it reports as a bare 400 before any controller sees the request.
 */
const undecodableParam = (error: unknown): string | undefined => {
  if (!(error instanceof Error)) return undefined;
  const status = error instanceof HttpException ? error.getStatus() : (error as { status?: unknown }).status;
  return status === 400 ? /^Failed to decode param '(.*)'$/s.exec(error.message)?.[1] : undefined;
};
