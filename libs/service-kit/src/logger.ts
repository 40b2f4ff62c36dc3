import pino, { type Logger } from 'pino';

/** JSON lines on stdout; LOG_LEVEL=silent in tests. */
export const createLogger = (service: string): Logger =>
  pino({ name: service, level: process.env.LOG_LEVEL ?? 'info', base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
