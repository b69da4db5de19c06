import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BusSubjects, newId, type LearningEvent } from '@cs/contracts';
import { APP_CONFIG, type AgentEnv } from '@cs/config';
import type { CachedEmbeddingProvider } from '@cs/ai';
import { seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { IntentModelVersion, IntentTrainingExample, Message, isHeldOut, type Tenant } from '@cs/persistence';
import { createTestDatabase, waitFor } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { IntentRetraining } from '../../../apps/agent/src/learning/intent-retraining.service';
import { LearnedIntents } from '../../../apps/agent/src/learning/learned-intents.service';
import { EMBEDDINGS } from '../../../apps/agent/src/pipeline/ai/embeddings.provider';
import { IntentModels } from '../../../apps/agent/src/pipeline/ai/intent-models.service';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from '../admin/admin-test-app';

/**
 * Retraining the intent model from outcomes (issue 18) on real PostgreSQL and NATS: relabels in the
 * console become training examples, the agent retrains and promotes only a model that is no worse on
 * the held-out slice, and another process finds the promoted model from the tenant's settings.
 */
describe('retraining the intent model from relabels and confirmed resolutions', () => {
  let t: AdminTestApp;
  let demo: SeedDemoResult;
  let admin: SignedIn;
  let agentUser: SignedIn;
  const events: { subject: string; data: LearningEvent }[] = [];

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('retraining');
    t = await startAdminApp('retraining', { root: 'gateway', imports: [AgentModule], databaseUrl });
    demo = await seedDemo(t.db, { publicUrl: 'http://shop.test' });
    admin = await signIn(t, 'admin', demo.tenantId);
    agentUser = await signIn(t, 'agent', demo.tenantId);
    await t.bus.consume({ durable: 'spec-retraining-events', filterSubjects: [BusSubjects.learnEvents()] }, async (m) => void events.push({ subject: m.subject, data: m.envelope.data }));
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  }, 300_000);

  /** A conversation with one customer question the agent read as `intent` and answered. */
  async function answered(tenantId: string, text: string, intent: string): Promise<{ conversationId: string; messageId: string }> {
    const { conversation, inbound } = await seedConversation(t.db, tenantId, { text });
    await t.db.manager.save(
      t.db.manager.create(Message, {
        id: newId(), tenantId, conversationId: conversation.id, direction: 'out', authorKind: 'bot', connectorId: 'webchat', parts: [{ type: 'text', text: 'An answer.' }],
        text: 'An answer.', replyToMessageId: inbound.id, deliveryState: 'sent', channelData: {}, trace: { intent, intentKind: 'question', decision: 'answer' },
      }),
    );
    return { conversationId: conversation.id, messageId: inbound.id };
  }

  /** Queues through the console, then lets the agent work the queue; resolves with the judged version. */
  async function retrain(auth: SignedIn['auth']): Promise<IntentModelVersion> {
    const queued = (await t.http().post('/api/v1/intent-models/retrain').set(auth).expect(202)).body as IntentModelVersion;
    // The agent's own poll may have claimed it already.
    expect(['queued', 'training']).toContain(queued.status);
    await t.http().post('/api/v1/intent-models/retrain').set(auth).expect(409);
    await t.app.get(IntentRetraining).runQueued();
    return waitFor(async () => {
      const version = await t.db.manager.findOneByOrFail(IntentModelVersion, { id: queued.id });
      return ['promoted', 'rejected', 'failed'].includes(version.status) && version;
    }, { what: 'the judged retraining', timeoutMs: 280_000 });
  }

  it('stores a relabel as training examples, names a bad field, and keeps tenants apart', async () => {
    const { conversationId, messageId } = await answered(demo.tenantId, 'I want to stop my order from being sent', 'order_status');
    const res = await t.http().post(`/api/v1/conversations/${conversationId}/intent`).set(agentUser.auth).send({ intent: 'cancel_order' }).expect(200);
    expect(res.body).toMatchObject({ conversationId, intent: 'cancel_order', examples: [{ messageId, text: 'I want to stop my order from being sent', heldOut: isHeldOut(messageId) }] });
    const stored = await t.db.manager.findOneByOrFail(IntentTrainingExample, { tenantId: demo.tenantId, messageId });
    expect(stored).toMatchObject({ intent: 'cancel_order', previousIntent: 'order_status', source: 'relabel', labelledBy: agentUser.userId });

    const bad = await t.http().post(`/api/v1/conversations/${conversationId}/intent`).set(agentUser.auth).send({ intent: 'bicycles' }).expect(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['intent']);
    const missing = await t.http().post(`/api/v1/conversations/${conversationId}/intent`).set(agentUser.auth).send({}).expect(400);
    expect(missing.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['intent']);
    const other = await createTenant(t.db, 'Other shop');
    const otherAdmin = await signIn(t, 'admin', other.id);
    await t.http().post(`/api/v1/conversations/${conversationId}/intent`).set(otherAdmin.auth).send({ intent: 'cancel_order' }).expect(404);
    expect((await t.http().get('/api/v1/intent-models/training-examples').set(otherAdmin.auth).expect(200)).body.items).toEqual([]);
    await waitFor(() => events.some((e) => e.subject.startsWith('learn.intent_relabelled.') && e.data.conversationId === conversationId), { what: 'the relabel event' });
    await t.db.query(`DELETE FROM intent_training_examples WHERE tenant_id = $1`, [demo.tenantId]);
  });

  it('rejects a retrained model that is worse on the held-out slice, and keeps the model in use', async () => {
    const tenant: Tenant = await createTenant(t.db, 'Poisoned shop');
    const owner = await signIn(t, 'admin', tenant.id);
    // Order-status questions: the held-out ones relabelled right, the training ones wrongly as cancellations.
    for (let n = 0; n < 36; n++) {
      const { conversationId, messageId } = await answered(tenant.id, `where is my parcel? it still has not arrived, order ${1000 + n}`, 'order_status');
      const intent = isHeldOut(messageId) ? 'order_status' : 'cancel_order';
      await t.http().post(`/api/v1/conversations/${conversationId}/intent`).set(owner.auth).send({ intent }).expect(200);
    }
    const version = await retrain(owner.auth);
    expect(version.status).toBe('rejected');
    expect(version.heldOutExamples).toBeGreaterThan(0);
    expect(version.newAccuracy as number).toBeLessThan(version.previousAccuracy as number);
    expect(version.reason).toMatch(/^worse on the staff-labelled held-out examples/);
    const listed = (await t.http().get('/api/v1/intent-models').set(owner.auth).expect(200)).body;
    expect(listed.current).toBeNull();
    expect(listed.items[0]).toMatchObject({ id: version.id, status: 'rejected', previousAccuracy: version.previousAccuracy, newAccuracy: version.newAccuracy });
    const settings = (await t.db.query(`SELECT settings FROM tenants WHERE id = $1`, [tenant.id]))[0].settings as Record<string, unknown>;
    expect(settings.intentModel).toBeUndefined();
    await waitFor(() => events.some((e) => e.subject === `learn.model_rejected.${tenant.id}` && e.data.modelVersionId === version.id), { what: 'the rejection event' });
  }, 400_000);

  it('promotes a model that is no worse, and another process loads it from the tenant’s settings', async () => {
    const phrasings = ['can I still cancel the order I placed', 'please cancel my purchase', 'I changed my mind, cancel it', 'cancel order number', 'stop my order please'];
    for (let n = 0; n < 30; n++) {
      const { conversationId } = await answered(demo.tenantId, `${phrasings[n % phrasings.length]} ${2000 + n}`, 'order_status');
      await t.http().post(`/api/v1/conversations/${conversationId}/intent`).set(agentUser.auth).send({ intent: 'cancel_order' }).expect(200);
    }
    await t.http().post('/api/v1/intent-models/retrain').set(agentUser.auth).expect(403);
    const version = await retrain(admin.auth);
    expect(version.status).toBe('promoted');
    expect(version.newAccuracy as number).toBeGreaterThanOrEqual(version.previousAccuracy as number);
    const detail = (await t.http().get(`/api/v1/intent-models/${version.id}`).set(agentUser.auth).expect(200)).body;
    expect(detail.examples.length).toBe(version.trainingExamples);
    expect(detail.examples.every((e: { intent: string }) => e.intent === 'cancel_order')).toBe(true);
    const listed = (await t.http().get('/api/v1/intent-models').set(agentUser.auth).expect(200)).body;
    expect(listed.current).toMatchObject({ version: version.id, modelKey: version.modelKey, previousAccuracy: version.previousAccuracy, newAccuracy: version.newAccuracy });

    // A second agent process: the version from the settings, the examples from the database, the model from the shared cache.
    const env = t.app.get<AgentEnv>(APP_CONFIG);
    const other = new IntentModels(t.app.get<CachedEmbeddingProvider>(EMBEDDINGS), env);
    const settings = (await t.db.query(`SELECT settings FROM tenants WHERE id = $1`, [demo.tenantId]))[0].settings;
    const learned = await new LearnedIntents(t.db).forSettings(demo.tenantId, settings);
    expect(learned?.examples.length).toBe(version.trainingExamples);
    const intents = Array.isArray(settings.intents) ? settings.intents : undefined;
    expect(other.keyFor(intents, learned)).toBe(version.modelKey);
    const cacheDir = env.INTENT_MODEL_CACHE_DIR ?? path.join(os.tmpdir(), 'cs-agent-cache', 'intent-models');
    expect(fs.existsSync(path.join(cacheDir, `${version.modelKey}.json`))).toBe(true);
    const loaded = await other.forTenant(intents, learned);
    expect(other.keyOfModel(loaded)).toBe(version.modelKey);
    await waitFor(() => events.some((e) => e.subject === `learn.model_promoted.${demo.tenantId}` && e.data.modelVersionId === version.id), { what: 'the promotion event' });
  }, 400_000);
});
