import { Controller, Get, Header, HttpException, HttpStatus, Inject, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUS, Bus } from '@cs/messaging';
import { dependencyUp, metricsRegistry } from './metrics';

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
    const checks = await this.check();
    // `down` names what is unreachable (database, bus), so an operator reads the outage off one field.
    const down = Object.keys(checks).filter((name) => checks[name] !== 'ok');
    if (down.length > 0) throw new HttpException({ status: 'unavailable', down, checks }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', checks };
  }

  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  async metrics(): Promise<string> {
    // cs_dependency_up is measured at scrape time, so "the database is down" is an alert, not a guess.
    const checks = await this.check();
    for (const [dependency, result] of Object.entries(checks)) dependencyUp.set({ dependency }, result === 'ok' ? 1 : 0);
    return metricsRegistry.metrics();
  }

  private async check(): Promise<Record<string, string>> {
    const results = await Promise.allSettled([
      withTimeout(this.dataSource.query('SELECT 1'), 2000),
      withTimeout(this.bus.ping(), 2000),
    ]);
    const outcome = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 'ok' : `failed: ${(r as PromiseRejectedResult).reason}`);
    return { database: outcome(results[0]), bus: outcome(results[1]) };
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
