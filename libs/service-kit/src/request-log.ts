import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Instruments } from './metrics';

/** The label of a request no route answered: its raw path would give Prometheus one series per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The route pattern that answered (`/grants/:id`), known once routing is done. */
export const routeOf = (req: Request): string => {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : UNMATCHED_ROUTE;
};

const QUIET = /^\/(health\/|metrics$)/;

/**
 * One log line and one histogram observation per request, when the response is finished (or the
 * client went away). Probes and scrapes are logged at debug, so they do not drown the rest.
 */
export const requestObserver =
  (log: Logger, instruments: Pick<Instruments, 'httpDuration'>) =>
  (req: Request & { correlationId?: string }, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      const status = res.statusCode;
      instruments.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
      log[QUIET.test(path) ? 'debug' : 'info'](
        {
          method: req.method,
          route,
          path,
          status,
          durationMs: Math.round(seconds * 1e4) / 10,
          correlationId: req.correlationId,
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
