import { Controller, Get, Header, HttpException, HttpStatus, Inject, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUS, Bus } from '@cs/messaging';
import { metricsRegistry } from './metrics';

/** Liveness, readiness (database and bus answer) and Prometheus metrics, the same in every app. */
@Controller()
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<{ status: string; down?: string[]; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    const results = await Promise.allSettled([
      withTimeout(this.dataSource.query('SELECT 1'), 2000),
      withTimeout(this.bus.ping(), 2000),
    ]);
    checks.database = results[0].status === 'fulfilled' ? 'ok' : `failed: ${(results[0] as PromiseRejectedResult).reason}`;
    checks.bus = results[1].status === 'fulfilled' ? 'ok' : `failed: ${(results[1] as PromiseRejectedResult).reason}`;
    // `down` names what is unreachable (database, bus), so an operator reads the outage off one field.
    const down = Object.keys(checks).filter((name) => checks[name] !== 'ok');
    if (down.length > 0) throw new HttpException({ status: 'unavailable', down, checks }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', checks };
  }

  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}

@Module({ controllers: [HealthController] })
export class HealthModule {}
