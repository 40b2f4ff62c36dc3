import pino, { type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  /** LOG_LEVEL by default; `silent` in tests. */
  readonly level?: string;
  /** stdout by default; a test passes a stream that keeps the lines. */
  readonly destination?: DestinationStream;
}

/** JSON lines, one per entry, each with the service's name and an ISO time. */
export const createLogger = (service: string, options: LoggerOptions = {}): Logger =>
  pino(
    {
      name: service,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    ...(options.destination ? [options.destination] : []),
  );
