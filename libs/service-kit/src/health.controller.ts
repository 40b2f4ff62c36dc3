import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { Public } from './auth.guard';
import { LAG_MONITOR, withTimeout, type LagMonitor } from './lag-monitor';
import { METRICS } from './metrics';
import { RUNTIME, type Runtime } from './runtime';

@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(METRICS) private readonly metrics: Registry,
    @Inject(LAG_MONITOR) private readonly lag: LagMonitor,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready when the database answers, the broker answers, and no consumer of this process has been
   * more than TASHGHIL_READY_MAX_LAG events behind for longer than TASHGHIL_READY_MAX_LAG_SECONDS.
   */
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
        await withTimeout(
          admin.connect().then(() => admin.describeCluster()),
          3_000,
        );
        checks.broker = 'up';
      } catch (error) {
        checks.broker = `down: ${(error as Error).message}`;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    } else {
      checks.broker = 'in-process';
    }
    const { readyMaxLagEvents, readyMaxLagSeconds } = this.runtime.config;
    checks.projection = await this.lag.projectionCheck(readyMaxLagEvents, readyMaxLagSeconds);
    const ok = Object.values(checks).every((v) => !v.startsWith('down'));
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    await this.lag.refresh();
    return this.metrics.metrics();
  }
}
