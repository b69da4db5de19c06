import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUILTIN_INTENTS, heldOutAccuracy, judgeRetraining, judgingAccuracy, type IntentExample } from '@cs/ai';
import { APP_CONFIG, type AgentEnv } from '@cs/config';
import type { TenantIntent } from '@cs/knowledge';
import { IntentModelVersion, type TenantSettings, type TrainingExampleSource } from '@cs/persistence';
import { IntentModels } from '../pipeline/ai/intent-models.service';
import { collectConfirmedExamples, tenantsToRetrain } from './retraining-examples';
import { LearnedIntents, promotedModelOf, type PromotedIntentModel } from './learned-intents.service';
import { LearningEvents } from './learning-events.publisher';

/** A retraining claimed this long ago by a process that never finished it (it died) is claimed again. */
const STALE_TRAINING_MINUTES = 30;

/**
 * Retrains tenants' intent models from outcomes (issue 18). A retraining is queued by staff (the
 * console's POST /api/v1/intent-models/retrain) or by the schedule (every
 * INTENT_RETRAIN_INTERVAL_HOURS, for tenants with new examples), and claimed by exactly one agent
 * process (FOR UPDATE SKIP LOCKED), which trains the candidate model on the tenant's intents plus its
 * learned examples (relabels and confirmed resolutions, the held-out slice left out), judges it and
 * the model in use on the held-out slice, and promotes it only if it is no worse: the version goes
 * into `tenants.settings.intentModel`, where every process finds it with the tenant's next message.
 */
@Injectable()
export class IntentRetraining implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntentRetraining.name);
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<unknown>;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(IntentModels) private readonly models: IntentModels,
    @Inject(LearnedIntents) private readonly learned: LearnedIntents,
    @Inject(LearningEvents) private readonly events: LearningEvents,
    @Inject(APP_CONFIG) private readonly env: AgentEnv,
  ) {}

  onApplicationBootstrap(): void {
    const every = (ms: number, job: () => Promise<unknown>) => this.timers.push(setInterval(() => {
        this.tick(job).catch(() => undefined);
      }, ms));
    every(this.env.INTENT_RETRAIN_POLL_SECONDS * 1000, () => this.runQueued());
    if (this.env.INTENT_RETRAIN_INTERVAL_HOURS > 0) every(this.env.INTENT_RETRAIN_INTERVAL_HOURS * 3600_000, () => this.schedule());
    for (const timer of this.timers) timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.running?.catch(() => undefined);
  }

  /** One job at a time per process; a failure is logged, the next tick tries again. */
  private async tick(job: () => Promise<unknown>): Promise<void> {
    if (this.running) return;
    this.running = job().catch((err: Error) => this.logger.error(`intent retraining: ${err.message}`));
    await this.running;
    this.running = undefined;
  }

  /** Queues a retraining for every tenant with examples (or confirmed resolutions) newer than its last retraining. */
  async schedule(): Promise<number> {
    const queued = await tenantsToRetrain(this.db);
    for (const { id, tenantId } of queued) await this.events.publish('retraining_requested', tenantId, { modelVersionId: id, detail: { trigger: 'schedule' } });
    return queued.length;
  }

  /** Claims and runs queued retrainings until none is left; returns the versions it judged. */
  async runQueued(): Promise<IntentModelVersion[]> {
    const done: IntentModelVersion[] = [];
    for (let version = await this.claim(); version; version = await this.claim()) done.push(await this.run(version));
    return done;
  }

  private async claim(): Promise<IntentModelVersion | undefined> {
    const [rows] = (await this.db.query(
      `UPDATE intent_model_versions SET status = 'training', started_at = now() WHERE id = (
         SELECT id FROM intent_model_versions WHERE status = 'queued' OR (status = 'training' AND started_at < now() - interval '${STALE_TRAINING_MINUTES} minutes')
          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id`,
    )) as [{ id: string }[], number];
    return rows[0] ? this.db.manager.findOneByOrFail(IntentModelVersion, { id: rows[0].id }) : undefined;
  }

  private async run(version: IntentModelVersion): Promise<IntentModelVersion> {
    const { tenantId } = version;
    try {
      const [tenant] = (await this.db.query(`SELECT settings FROM tenants WHERE id = $1`, [tenantId])) as { settings: TenantSettings }[];
      const intents = Array.isArray(tenant?.settings.intents) ? (tenant.settings.intents as TenantIntent[]) : undefined;
      const known = new Set([...BUILTIN_INTENTS.map((i) => i.name), ...(intents ?? []).map((i) => i.name)]);
      await collectConfirmedExamples(this.db, tenantId, known);
      const rows = (await this.db.query(`SELECT text, intent, held_out, source FROM intent_training_examples WHERE tenant_id = $1 ORDER BY message_id`, [tenantId])) as (IntentExample & {
        held_out: boolean;
        source: TrainingExampleSource;
      })[];
      const usable = rows.filter((r) => known.has(r.intent));
      const train = usable.filter((r) => !r.held_out).map(({ text, intent }) => ({ text, intent }));
      const heldOut = usable.filter((r) => r.held_out);
      const slice = (source: TrainingExampleSource) => heldOut.filter((r) => r.source === source).map(({ text, intent }) => ({ text, intent }));
      const [staffSlice, confirmedSlice] = [slice('relabel'), slice('confirmed')];
      const promoted = tenant ? promotedModelOf(tenant.settings) : undefined;
      const current = promoted ? await this.learned.version(tenantId, promoted.version) : undefined;
      const candidate = { version: version.id, examples: train };
      const [previousModel, newModel] = [await this.models.forTenant(intents, current), await this.models.forTenant(intents, candidate)];
      const scores = async (model: typeof newModel) => ({ staff: await heldOutAccuracy(model, staffSlice), confirmed: await heldOutAccuracy(model, confirmedSlice) });
      const [previousScores, newScores] = [await scores(previousModel), await scores(newModel)];
      const [previousAccuracy, newAccuracy] = [judgingAccuracy(previousScores), judgingAccuracy(newScores)];
      const judgement = train.length ? judgeRetraining(previousScores, newScores) : { promote: false, reason: 'no training examples yet' };
      Object.assign(version, {
        status: judgement.promote ? 'promoted' : 'rejected',
        examples: train,
        trainingExamples: train.length,
        heldOutExamples: heldOut.length,
        previousAccuracy,
        newAccuracy,
        previousVersionId: current?.version ?? null,
        modelKey: this.models.keyFor(intents, candidate),
        reason: judgement.reason,
        finishedAt: new Date(),
      });
      await this.record(version);
      if (!judgement.promote) this.models.forget(intents, candidate);
    } catch (err) {
      Object.assign(version, { status: 'failed', reason: (err as Error).message, finishedAt: new Date() });
      await this.db.manager.save(version);
      this.logger.error(`retraining ${version.id} for tenant ${tenantId} failed: ${(err as Error).message}`);
    }
    if (version.status !== 'failed') {
      const detail = { previousAccuracy: version.previousAccuracy, newAccuracy: version.newAccuracy, heldOutExamples: version.heldOutExamples, reason: version.reason };
      await this.events.publish(version.status === 'promoted' ? 'model_promoted' : 'model_rejected', tenantId, { modelVersionId: version.id, detail });
    }
    return version;
  }

  /** The version's figures, and on promotion the tenant's model, in one transaction. */
  private async record(version: IntentModelVersion): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.save(version);
      if (version.status !== 'promoted') return;
      const model: PromotedIntentModel = {
        version: version.id,
        modelKey: version.modelKey as string,
        previousAccuracy: version.previousAccuracy,
        newAccuracy: version.newAccuracy,
        heldOutExamples: version.heldOutExamples,
        promotedAt: new Date().toISOString(),
      };
      await m.query(`UPDATE tenants SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{intentModel}', $2::jsonb) WHERE id = $1`, [version.tenantId, JSON.stringify(model)]);
    });
  }
}
