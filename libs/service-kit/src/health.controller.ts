import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { Public } from './auth.guard';
import { RUNTIME, type Runtime } from './runtime';

export const METRICS = Symbol('METRICS');

export const createMetrics = (service: string): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
};

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(METRICS) private readonly metrics: Registry,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() res: Response): Promise<void> {
    const checks: Record<string, string> = {};
    try {
      await withTimeout(this.runtime.db.query('SELECT 1'), 2_000);
      checks.database = 'up';
    } catch (error) {
      checks.database = `down: ${(error as Error).message}`;
    }
    if (this.runtime.kafka) {
      const admin = this.runtime.kafka.admin();
      try {
        await withTimeout(admin.connect().then(() => admin.describeCluster()), 3_000);
        checks.broker = 'up';
      } catch (error) {
        checks.broker = `down: ${(error as Error).message}`;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    } else {
      checks.broker = 'in-process';
    }
    const ok = Object.values(checks).every((v) => !v.startsWith('down'));
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    return this.metrics.metrics();
  }
}
