import { newId } from '@cs/contracts';
import { seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { createTestDatabase } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { signIn, startAdminApp, type AdminTestApp, type SignedIn } from '../admin/admin-test-app';

interface ApiReply {
  conversationId: string;
  reply: { id: string; text: string; outcome: { kind: string; reason: string } };
}

const WARM = 'Thanks for your patience: a person from our team will write to you shortly.';

/** An A/B test of the hand-off message through the whole product (API channel → agent → console) on real PostgreSQL and NATS. */
describe('A/B tests of a reply setting', () => {
  let t: AdminTestApp;
  let demo: SeedDemoResult;
  let admin: SignedIn;
  let agentUser: SignedIn;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('experiments');
    t = await startAdminApp('experiments', { root: 'gateway', imports: [AgentModule, ConnectorsModule], databaseUrl, serve: true });
    demo = await seedDemo(t.db, { publicUrl: 'http://shop.test' });
    admin = await signIn(t, 'admin', demo.tenantId);
    agentUser = await signIn(t, 'agent', demo.tenantId);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function ask(text: string, contactId: string, conversationId?: string): Promise<ApiReply> {
    const res = await t.http()
      .post('/api/v1/channels/api/messages?wait=25000')
      .set({ Authorization: `Bearer ${demo.apiKey}` })
      .send({ text, contact: { externalId: contactId }, ...(conversationId ? { conversationId } : {}) })
      .expect(200);
    return res.body as ApiReply;
  }
  const armsOf = async (conversationId: string) =>
    ((await t.db.query(`SELECT trace->'experiment'->>'arm' AS arm FROM messages WHERE conversation_id = $1 AND author_kind = 'bot' ORDER BY id`, [conversationId])) as { arm: string | null }[]).map((r) => r.arm);

  it('refuses arms that would weaken the answer bar or repeat a name, naming the field', async () => {
    const low = await t.http().post('/api/v1/experiments').set(admin.auth).send({ name: 'x', setting: 'confidenceThreshold', arms: [{ name: 'a', value: null }, { name: 'b', value: 0.1 }] }).expect(400);
    expect(low.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['arms.1.value']);
    const twins = await t.http().post('/api/v1/experiments').set(admin.auth).send({ name: 'x', setting: 'handoffMessage', arms: [{ name: 'a', value: null }, { name: 'a', value: 'Hi' }] }).expect(400);
    expect(twins.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['arms.1.name']);
    await t.http().post('/api/v1/experiments').set(agentUser.auth).send({ name: 'x', setting: 'handoffMessage', arms: [{ name: 'a', value: null }, { name: 'b', value: 'Hi' }] }).expect(403);
  });

  it('gives each conversation one arm for all its replies, records it in the trace, reports per arm, and promotes the winner', async () => {
    const started = (
      await t.http()
        .post('/api/v1/experiments')
        .set(admin.auth)
        .send({ name: 'Warmer hand-off', setting: 'handoffMessage', arms: [{ name: 'control', value: null }, { name: 'warm', value: WARM }] })
        .expect(201)
    ).body;
    expect(started).toMatchObject({ status: 'running', setting: 'handoffMessage', results: [{ name: 'control', conversations: 0 }, { name: 'warm', conversations: 0, vsControl: { verdict: 'not_enough_data' } }] });
    await t.http().post('/api/v1/experiments').set(admin.auth).send({ name: 'Another', setting: 'brandVoice', arms: [{ name: 'a', value: null }, { name: 'b', value: 'Cheerful.' }] }).expect(409);

    const seen: { arm: string; warmText: boolean }[] = [];
    for (let i = 0; i < 16; i++) {
      const contact = `customer-${newId()}`;
      const first = await ask('how long does delivery take?', contact);
      expect(first.reply.outcome.kind).toBe('answered');
      const second = await ask('Do you sell bicycles?', contact, first.conversationId);
      expect(second.reply.outcome.kind).toBe('handoff');
      const arms = await armsOf(first.conversationId);
      expect(arms).toHaveLength(2);
      expect(arms[1]).toBe(arms[0]);
      seen.push({ arm: arms[0] as string, warmText: second.reply.text.includes(WARM) });
    }
    expect(seen.every((s) => s.warmText === (s.arm === 'warm'))).toBe(true);
    expect(new Set(seen.map((s) => s.arm))).toEqual(new Set(['control', 'warm']));

    const report = (await t.http().get(`/api/v1/experiments/${started.id}`).set(agentUser.auth).expect(200)).body;
    const byName = Object.fromEntries((report.results as { name: string; conversations: number; handoffRate: number }[]).map((r) => [r.name, r]));
    expect(byName.control.conversations + byName.warm.conversations).toBe(16);
    expect(byName.control.conversations).toBe(seen.filter((s) => s.arm === 'control').length);
    expect(byName.warm).toMatchObject({ handoffRate: 1, automatedResolution: { confirmed: 0, assumed: 0, rate: 0 }, vsControl: { verdict: 'not_enough_data' } });

    await t.http().post(`/api/v1/experiments/${started.id}/stop`).set(admin.auth).send({ promote: 'nobody' }).expect(400);
    const stopped = (await t.http().post(`/api/v1/experiments/${started.id}/stop`).set(admin.auth).send({ promote: 'warm' }).expect(200)).body;
    expect(stopped).toMatchObject({ status: 'stopped', winner: 'warm', promoted: true });
    await t.http().post(`/api/v1/experiments/${started.id}/stop`).set(admin.auth).send({}).expect(409);
    const settings = (await t.http().get('/api/v1/settings').set(admin.auth).expect(200)).body.settings;
    expect(settings.handoffMessage).toBe(WARM);
    expect(settings.experiment).toBeUndefined();

    const after = await ask('Do you sell bicycles?', `customer-${newId()}`);
    expect(after.reply.text).toContain(WARM);
    expect(await armsOf(after.conversationId)).toEqual([null]);
    expect((await t.http().get('/api/v1/experiments').set(agentUser.auth).expect(200)).body.items.map((e: { id: string }) => e.id)).toEqual([started.id]);
  }, 180_000);
});
