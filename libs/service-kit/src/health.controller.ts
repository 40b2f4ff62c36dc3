import { Controller, Get, Header, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { Public } from './auth.guard';
import { LAG_MONITOR, withTimeout, type LagMonitor } from './lag-monitor';
import { METRICS } from './metrics';
import { backlogNote, isReady, READINESS, type Readiness } from './readiness';
import { RUNTIME, type Runtime } from './runtime';

@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(METRICS) private readonly metrics: Registry,
    @Inject(LAG_MONITOR) private readonly lag: LagMonitor,
    @Optional() @Inject(READINESS) private readonly readiness?: Readiness,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready when this process can serve: the database answers, the broker answers, and every check a
   * module of this process added says so (the reporting read model of this process's layout is
   * built, say); each check says why not. The backlog of its consumer groups, shared with every
   * other replica, is reported under `projection` (behind past TASHGHIL_READY_MAX_LAG events for
   * TASHGHIL_READY_MAX_LAG_SECONDS) but does not make it unready: that is the metric's and the
   * alert's business, or every replica would leave the load balancer at once.
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
    checks.projection = backlogNote(await this.lag.projectionCheck(readyMaxLagEvents, readyMaxLagSeconds));
    Object.assign(checks, await this.readiness?.run());
    const ok = isReady(checks);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    await this.lag.refresh();
    return this.metrics.metrics();
  }
}

export * from './readiness';
