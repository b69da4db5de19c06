import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ValidationFailed, newId } from '@cs/contracts';
import { Experiment, OUTCOME_COLUMNS, OUTCOME_FILTERS, Tenant, type RunningExperiment, type TenantSettings } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import { ConsoleLearningEvents } from '../learning/learning-events.publisher';
import { compareToControl, type Comparison } from './arm-statistics';
import type { CreateExperimentBody, ListExperimentsQuery, StopExperimentBody } from './dto/experiment.dto';

interface ArmRow {
  arm: string;
  conversations: number;
  confirmed: number;
  assumed: number;
  handed_off: number;
  reopened: number;
  customer_reopened: number;
  csat_responses: number;
  csat_average: number | null;
  frt_p50: number | null;
}

export interface ArmResult {
  name: string;
  weight: number;
  value: string | number | null;
  conversations: number;
  automatedResolution: { confirmed: number; assumed: number; rate: number | null };
  handoffRate: number | null;
  /** Conversations that came back after a resolution (customer or staff); `customerReopenRate`: by the customer. */
  reopenRate: number | null;
  customerReopenRate: number | null;
  csat: { responses: number; average: number | null };
  firstResponseSecondsP50: number | null;
  /** Automated resolution against the first arm (the control); null for the control itself. */
  vsControl: Comparison | null;
}

export type ExperimentView = Experiment & { results: ArmResult[] };

/**
 * A/B tests of one reply setting (issue 18). One experiment runs per tenant at a time; while it
 * runs its arms are in `tenants.settings.experiment`, which the agent reads with the tenant's
 * settings on every message (apps/agent/src/learning/experiment-arm.ts: the arm per conversation,
 * sticky, recorded in the reply's trace). Results come from those traces, per arm: automated
 * resolution (confirmed and assumed, with analytics' definitions: a staff resolve is not
 * "confirmed"), hand-off, reopen (by the customer within 72 h, or by staff) and CSAT, first response time, and the difference in automated resolution to the control with
 * its 95% interval, "not enough data" under 100 conversations an arm.
 */
@Injectable()
export class ExperimentsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: ConsoleLearningEvents,
  ) {}

  async create(caller: Principal, tenantId: string, body: CreateExperimentBody): Promise<ExperimentView> {
    const experiment = await this.db.transaction(async (manager) => {
      const tenant = await this.lockTenant(manager, tenantId);
      if (await manager.exists(Experiment, { where: { tenantId, status: 'running' } })) throw new ConflictException('an experiment is already running: stop it first');
      const experiment = manager.create(Experiment, { id: newId(), tenantId, name: body.name, setting: body.setting, arms: body.arms, status: 'running', winner: null, promoted: false, startedAt: new Date(), stoppedAt: null });
      await manager.save(experiment);
      const running: RunningExperiment = { id: experiment.id, setting: body.setting, arms: body.arms };
      await this.saveSettings(manager, tenantId, { ...tenant.settings, experiment: running });
      await this.audit.record(caller, 'experiment.start', { type: 'experiment', id: experiment.id }, { setting: body.setting, arms: body.arms.map((a) => a.name) }, manager);
      return experiment;
    });
    await this.events.publish('experiment_started', tenantId, { experimentId: experiment.id, title: experiment.name, detail: { setting: experiment.setting } });
    return { ...experiment, results: await this.results(experiment) };
  }

  async list(tenantId: string, query: ListExperimentsQuery): Promise<Page<Experiment>> {
    const qb = this.db.manager.createQueryBuilder(Experiment, 'e').where('e.tenant_id = :tenantId', { tenantId }).orderBy('e.id', 'DESC').limit(query.limit + 1);
    if (query.after) qb.andWhere('e.id < :after', { after: decodeCursor(query.after, ['id'] as const).id });
    return pageOf(await qb.getMany(), query.limit, (row) => row, (row) => ({ id: row.id }));
  }

  async get(tenantId: string, id: string): Promise<ExperimentView> {
    const experiment = await this.db.manager.findOne(Experiment, { where: { id, tenantId } });
    if (!experiment) throw new NotFoundException('no such experiment');
    return { ...experiment, results: await this.results(experiment) };
  }

  /** Stops it (conversations go back to the tenant's settings); `promote` makes an arm's value the tenant's setting. */
  async stop(caller: Principal, tenantId: string, id: string, body: StopExperimentBody): Promise<ExperimentView> {
    const experiment = await this.db.transaction(async (manager) => {
      const experiment = await manager.findOne(Experiment, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!experiment) throw new NotFoundException('no such experiment');
      if (experiment.status !== 'running') throw new ConflictException('this experiment has stopped already');
      const winner = body.promote === undefined ? undefined : experiment.arms.find((a) => a.name === body.promote);
      if (body.promote !== undefined && !winner) throw new ValidationFailed([{ path: 'promote', message: `no arm is named "${body.promote}"` }]);
      const tenant = await this.lockTenant(manager, tenantId);
      const settings: TenantSettings = { ...tenant.settings };
      delete settings.experiment;
      if (winner && winner.value !== null) (settings as Record<string, unknown>)[experiment.setting] = winner.value;
      await this.saveSettings(manager, tenantId, settings);
      Object.assign(experiment, { status: 'stopped', stoppedAt: new Date(), winner: winner?.name ?? null, promoted: !!winner });
      await manager.save(experiment);
      await this.audit.record(caller, 'experiment.stop', { type: 'experiment', id }, { promoted: winner?.name ?? null }, manager);
      return experiment;
    });
    await this.events.publish('experiment_stopped', tenantId, { experimentId: id, title: experiment.name, detail: { winner: experiment.winner } });
    return { ...experiment, results: await this.results(experiment) };
  }

  private async results(experiment: Experiment): Promise<ArmResult[]> {
    // The outcomes as analytics counts them (@cs/persistence conversation-outcome.ts): a staff resolve confirms nothing.
    const rows: ArmRow[] = await this.db.query(
      `WITH conv AS (
         SELECT ${OUTCOME_COLUMNS},
                (SELECT m.trace->'experiment'->>'arm' FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id
                    AND m.author_kind = 'bot' AND m.trace->'experiment'->>'id' = $2 ORDER BY m.id LIMIT 1) AS arm,
                (SELECT f.rating FROM conversation_feedback f WHERE f.tenant_id = c.tenant_id AND f.conversation_id = c.id) AS rating
           FROM conversations c
          WHERE c.tenant_id = $1 AND c.created_at >= $3
       )
       SELECT arm, count(*)::int AS conversations,
              count(*) FILTER (WHERE ${OUTCOME_FILTERS.confirmed})::int AS confirmed,
              count(*) FILTER (WHERE ${OUTCOME_FILTERS.assumed})::int AS assumed,
              count(*) FILTER (WHERE ${OUTCOME_FILTERS.handedOff})::int AS handed_off,
              count(*) FILTER (WHERE ${OUTCOME_FILTERS.reopened})::int AS reopened,
              count(*) FILTER (WHERE ${OUTCOME_FILTERS.customerReopened})::int AS customer_reopened,
              count(rating)::int AS csat_responses, avg(rating)::float AS csat_average,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_out - first_in)) FILTER (WHERE first_out >= first_in) AS frt_p50
         FROM conv WHERE arm IS NOT NULL GROUP BY arm`,
      [experiment.tenantId, experiment.id, experiment.startedAt],
    );
    const byArm = new Map(rows.map((r) => [r.arm, r]));
    const rate = (k: number, n: number) => (n ? Math.round((k / n) * 1000) / 1000 : null);
    const control = experiment.arms[0];
    const resolvedOf = (name: string) => {
      const r = byArm.get(name);
      return { n: r?.conversations ?? 0, k: (r?.confirmed ?? 0) + (r?.assumed ?? 0) };
    };
    return experiment.arms.map((arm) => {
      const r = byArm.get(arm.name);
      const n = r?.conversations ?? 0;
      return {
        name: arm.name,
        weight: arm.weight,
        value: arm.value,
        conversations: n,
        automatedResolution: { confirmed: r?.confirmed ?? 0, assumed: r?.assumed ?? 0, rate: rate((r?.confirmed ?? 0) + (r?.assumed ?? 0), n) },
        handoffRate: rate(r?.handed_off ?? 0, n),
        reopenRate: rate(r?.reopened ?? 0, n),
        customerReopenRate: rate(r?.customer_reopened ?? 0, n),
        csat: { responses: r?.csat_responses ?? 0, average: r?.csat_average == null ? null : Math.round(Number(r.csat_average) * 100) / 100 },
        firstResponseSecondsP50: r?.frt_p50 == null ? null : Math.round(Number(r.frt_p50) * 1000) / 1000,
        vsControl: arm === control ? null : compareToControl(resolvedOf(arm.name), resolvedOf(control.name)),
      };
    });
  }

  private async lockTenant(manager: EntityManager, tenantId: string): Promise<Tenant> {
    const tenant = await manager.findOne(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
    if (!tenant) throw new NotFoundException('no such tenant');
    return tenant;
  }

  private async saveSettings(manager: EntityManager, tenantId: string, settings: TenantSettings): Promise<void> {
    await manager.query('UPDATE tenants SET settings = $2 WHERE id = $1', [tenantId, JSON.stringify(settings)]);
  }
}
