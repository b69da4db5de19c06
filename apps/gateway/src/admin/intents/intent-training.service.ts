import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { BUILTIN_INTENTS } from '@cs/ai';
import { ValidationFailed } from '@cs/contracts';
import { tenantIntentSchema } from '@cs/knowledge';
import { Conversation, IntentModelVersion, IntentTrainingExample, Tenant, classifiedQuestions, queueRetraining, storeTrainingExamples } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, pageQuerySchema, type Page } from '../common/cursor';
import { ConsoleLearningEvents } from '../learning/learning-events.publisher';

export const relabelSchema = z.object({ intent: z.string().trim().min(1).max(100) });
export type RelabelBody = z.infer<typeof relabelSchema>;
export const listVersionsSchema = pageQuerySchema;
export type ListVersionsQuery = z.infer<typeof listVersionsSchema>;

export interface RelabelResult {
  conversationId: string;
  intent: string;
  previousIntent: string | null;
  /** The customer messages that became training examples with this label. */
  examples: { messageId: string; text: string; heldOut: boolean }[];
}

/**
 * Retraining from outcomes in the console (issue 18): staff relabel a conversation's intent (its
 * questions become training examples), see the examples, ask for a retraining and follow the
 * history of retrainings with both figures. The agent trains and judges (IntentRetraining): the
 * gateway only queues and shows.
 */
@Injectable()
export class IntentTrainingService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: ConsoleLearningEvents,
  ) {}

  async relabel(caller: Principal, tenantId: string, conversationId: string, body: RelabelBody): Promise<RelabelResult> {
    const result = await this.db.transaction(async (m) => {
      const conversation = await m.findOne(Conversation, { where: { id: conversationId, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!conversation) throw new NotFoundException('no such conversation');
      const tenant = await m.findOneByOrFail(Tenant, { id: tenantId });
      if (!knownIntents(tenant).has(body.intent)) throw new ValidationFailed([{ path: 'intent', message: `no intent is named "${body.intent}" (a built-in intent or one of the tenant's own)` }]);
      const questions = await classifiedQuestions(m, tenantId, [conversationId]);
      if (!questions.length) throw new ConflictException('this conversation has no customer message to learn from');
      const labelledBy = caller.kind === 'user' ? caller.id : null;
      await storeTrainingExamples(m, tenantId, questions.map((question) => ({ question, intent: body.intent, source: 'relabel' as const, labelledBy })));
      await m.update(Conversation, { id: conversationId, tenantId }, { intent: body.intent });
      await this.audit.record(caller, 'conversation.relabel', { type: 'conversation', id: conversationId }, { intent: body.intent, previousIntent: conversation.intent }, m);
      const stored = await m.find(IntentTrainingExample, { where: { tenantId, conversationId }, order: { messageId: 'ASC' } });
      return {
        conversationId,
        intent: body.intent,
        previousIntent: conversation.intent,
        examples: stored.filter((e) => e.intent === body.intent).map((e) => ({ messageId: e.messageId, text: e.text, heldOut: e.heldOut })),
      };
    });
    await this.events.publish('intent_relabelled', tenantId, { conversationId, detail: { intent: result.intent, previousIntent: result.previousIntent, examples: result.examples.length } });
    return result;
  }

  async examples(tenantId: string, query: ListVersionsQuery): Promise<Page<IntentTrainingExample>> {
    const qb = this.db.manager.createQueryBuilder(IntentTrainingExample, 'e').where('e.tenant_id = :tenantId', { tenantId }).orderBy('e.id', 'DESC').limit(query.limit + 1);
    if (query.after) qb.andWhere('e.id < :after', { after: decodeCursor(query.after, ['id'] as const).id });
    return pageOf(await qb.getMany(), query.limit, (row) => row, (row) => ({ id: row.id }));
  }

  async retrain(caller: Principal, tenantId: string): Promise<IntentModelVersion> {
    const { id, queued } = await queueRetraining(this.db.manager, tenantId, 'manual', caller.kind === 'user' ? caller.id : null);
    if (!queued) throw new ConflictException(`a retraining is already queued or running (${id})`);
    await this.audit.record(caller, 'intent_model.retrain', { type: 'intent_model', id }, {});
    await this.events.publish('retraining_requested', tenantId, { modelVersionId: id, detail: { trigger: 'manual' } });
    return this.db.manager.findOneByOrFail(IntentModelVersion, { id });
  }

  /** The history of retrainings, newest first, and the version in use. */
  async versions(tenantId: string, query: ListVersionsQuery): Promise<Page<Omit<IntentModelVersion, 'examples'>> & { current: Record<string, unknown> | null }> {
    const qb = this.db.manager.createQueryBuilder(IntentModelVersion, 'v').where('v.tenant_id = :tenantId', { tenantId }).orderBy('v.id', 'DESC').limit(query.limit + 1);
    if (query.after) qb.andWhere('v.id < :after', { after: decodeCursor(query.after, ['id'] as const).id });
    const page = pageOf(await qb.getMany(), query.limit, ({ examples: _examples, ...row }) => row, (row) => ({ id: row.id }));
    const tenant = await this.db.manager.findOneByOrFail(Tenant, { id: tenantId });
    const current = tenant.settings.intentModel;
    return { ...page, current: current && typeof current === 'object' ? (current as Record<string, unknown>) : null };
  }

  async version(tenantId: string, id: string): Promise<IntentModelVersion> {
    const version = await this.db.manager.findOne(IntentModelVersion, { where: { id, tenantId } });
    if (!version) throw new NotFoundException('no such intent model version');
    return version;
  }
}

/** The labels a relabel may use: the built-in intents and the tenant's own. */
function knownIntents(tenant: Tenant): Set<string> {
  const own = z.array(tenantIntentSchema).safeParse(tenant.settings.intents ?? []);
  return new Set([...BUILTIN_INTENTS.map((i) => i.name), ...(own.success ? own.data.map((i) => i.name) : [])]);
}
