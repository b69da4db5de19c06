import { WebSocket } from 'ws';
import { AgentModule } from '@cs/agent';
import { ConnectorsModule } from '@cs/connectors';
import { newId } from '@cs/contracts';
import { loadDemoIntents, seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { createTestDatabase, waitFor } from '@cs/testing';
import { IntentModels } from '../../../apps/agent/src/pipeline/ai/intent-models.service';
import { createUser } from '../../../apps/gateway/src/admin/users/create-user';
import { startGatewayTestApp, type GatewayTestApp } from '../../../apps/gateway/src/testing/gateway-test-app';

jest.setTimeout(240_000);

interface Outcome {
  kind: 'answered' | 'handoff';
  reason: string;
}
interface ApiAnswer {
  conversationId: string;
  reply: { id: string; text: string; authorKind: string; outcome?: Outcome };
}
interface TryAnswer {
  decision: string;
  outcome: Outcome | null;
  answer: string | null;
  passages: { title: string }[];
  trace: Record<string, unknown> | null;
}

/**
 * Fifty questions a customer of the demo shop asks: two or more for each of its articles in the
 * customer's own words, its own intents (gift wrapping answered, wholesale handed off), asking for a
 * person, an upset customer, and things the shop does not cover.
 */
const DEMO_QUESTIONS = [
  'how long does delivery take?',
  'when will my parcel arrive if I order today?',
  'do you ship to Canada?',
  'how much is shipping abroad?',
  'what does standard shipping cost?',
  'is there free shipping?',
  'how do I return an item?',
  'how many days do I have to send something back?',
  'when will I get my refund?',
  'how is my money paid back after a return?',
  'can I exchange a shirt for a bigger size?',
  'how do exchanges work?',
  'which payment methods do you accept?',
  'can I pay with PayPal?',
  'my card was declined, what now?',
  'why did my payment fail?',
  'my discount code does not work',
  'can I use two promo codes on one order?',
  'how do gift cards work?',
  'do gift cards expire?',
  'can I cancel my order?',
  'how do I change my delivery address after ordering?',
  'how can I track my package?',
  'where do I find my tracking number?',
  'I forgot my password',
  'how do I delete my account?',
  'what do you do with my personal data?',
  'how should I wash my wool jumper?',
  'how do I take care of leather shoes?',
  'can you repair my broken zip?',
  'do you offer repairs?',
  'what does the warranty cover?',
  'how long is the warranty?',
  'which size should I order?',
  'do your jeans run small?',
  'can I pick up my order in a store?',
  'is click and collect available?',
  'when is customer service open?',
  'what are your opening hours on Saturday?',
  'can you gift wrap my order?',
  'can I add a card with a personal note?',
  'is there a wholesale price list?',
  'I run a shop and want to stock your products',
  'I want to talk to a person',
  'let me speak to a human agent please',
  'this is the third time I write, this is ridiculous and I am furious',
  'hello',
  'thanks a lot!',
  'what is the capital of Australia?',
  'can you recommend a good pizza place nearby?',
];

/** The widget's side of one chat session: every frame it receives. */
async function openChat(url: string, key: string, session: string) {
  const frames: { type: string; message?: { authorKind: string; text: string; outcome?: Outcome } }[] = [];
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/chat?key=${encodeURIComponent(key)}&session=${encodeURIComponent(session)}`);
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  return {
    send: (text: string) => ws.send(JSON.stringify({ type: 'message', clientId: newId(), text })),
    resume: () => ws.send(JSON.stringify({ type: 'resume', after: null })),
    botReply: () => waitFor(() => frames.find((f) => f.type === 'message' && f.message?.authorKind === 'bot')?.message, { what: 'the bot reply frame', timeoutMs: 30_000 }),
    close: () => ws.close(),
  };
}

/**
 * Gateway, connectors and agent in one process on the demo shop: what the two customer edges (the API
 * channel's `?wait=` response, the web-chat frame) say the agent did, and the console's "try it"
 * agreeing with what customers actually get.
 */
describe('the agent at its edges: the outcome of a reply, and "try it" (gateway, connectors, agent)', () => {
  let t: GatewayTestApp;
  let demo: SeedDemoResult;
  let staffAuth: string;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('agentedges');
    t = await startGatewayTestApp({ imports: [AgentModule, ConnectorsModule], env: { DATABASE_URL: databaseUrl, WEBHOOK_TIMEOUT_MS: '10000' } });
    demo = await seedDemo(t.dataSource, { publicUrl: 'http://shop.test' });
    // Both models trained before the first question, so no answer comes from a model still training.
    const models = t.app.get(IntentModels);
    await models.forTenant(undefined);
    await models.forTenant(loadDemoIntents());
    const email = `owner-${newId()}@shop.test`;
    await createUser(t.dataSource.manager, { email, password: 'correct horse battery', role: 'owner', tenantId: demo.tenantId });
    const login = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery' }),
    });
    staffAuth = `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`;
  });

  afterAll(async () => {
    await t?.close();
  });

  async function askApi(text: string): Promise<ApiAnswer> {
    const res = await fetch(`${t.url}/api/v1/channels/api/messages?wait=20000`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.apiKey}` },
      body: JSON.stringify({ text, contact: { externalId: `customer-${newId()}` } }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ApiAnswer;
  }

  async function tryIt(question: string, channel?: string): Promise<TryAnswer> {
    const res = await fetch(`${t.url}/api/v1/knowledge/try`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: staffAuth },
      body: JSON.stringify({ question, ...(channel ? { channel } : {}) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as TryAnswer;
  }

  it('says in the API response that the agent answered, and hands off with the reason when the customer asks for a person', async () => {
    const answered = await askApi('how long does delivery take?');
    expect(answered.reply.text).toMatch(/Standard delivery takes 3 to 5 working days/);
    expect(answered.reply.outcome).toEqual({ kind: 'answered', reason: 'answered' });

    const handedOff = await askApi('I want to talk to a person');
    expect(handedOff.reply.outcome).toEqual({ kind: 'handoff', reason: 'customer_asked_for_person' });
    const [conversation] = await t.dataSource.query('SELECT status FROM conversations WHERE id = $1', [handedOff.conversationId]);
    expect(conversation.status).toBe('waiting');
  });

  it('says in the web-chat reply frame that the agent answered, or handed off and why, live and when the history is restored', async () => {
    const handoffSession = `edge-handoff-${newId()}`;
    const answering = await openChat(t.url, demo.widgetKey, `edge-answer-${newId()}`);
    const handingOff = await openChat(t.url, demo.widgetKey, handoffSession);
    try {
      answering.send('how long does delivery take?');
      handingOff.send('let me speak to a human agent please');

      const answer = await answering.botReply();
      expect(answer.text).toMatch(/Standard delivery takes 3 to 5 working days/);
      expect(answer.outcome).toEqual({ kind: 'answered', reason: 'answered' });
      expect((await handingOff.botReply()).outcome).toEqual({ kind: 'handoff', reason: 'customer_asked_for_person' });
    } finally {
      answering.close();
      handingOff.close();
    }

    // Another tab of the same visitor restores the conversation: the stored reply says the same.
    const later = await openChat(t.url, demo.widgetKey, handoffSession);
    try {
      later.resume();
      expect((await later.botReply()).outcome).toEqual({ kind: 'handoff', reason: 'customer_asked_for_person' });
    } finally {
      later.close();
    }
  });

  it('"try it" runs the real turn and stores nothing: same reply, decision and trace as a customer gets', async () => {
    const conversationsBefore = await t.dataSource.query('SELECT count(*)::int AS n FROM conversations WHERE tenant_id = $1', [demo.tenantId]);
    const messagesBefore = await t.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1', [demo.tenantId]);

    const tried = await tryIt('how long does delivery take?');

    expect(tried).toMatchObject({ decision: 'answer', outcome: { kind: 'answered', reason: 'answered' } });
    expect(tried.answer).toMatch(/Standard delivery takes 3 to 5 working days/);
    expect(tried.trace).toMatchObject({ decision: 'answer', generator: 'extractive', checks: expect.arrayContaining([expect.objectContaining({ passed: true })]) });
    expect(tried.passages[0]).toMatchObject({ title: 'Delivery times' });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM conversations WHERE tenant_id = $1', [demo.tenantId])).toEqual(conversationsBefore);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1', [demo.tenantId])).toEqual(messagesBefore);

    const handoff = await tryIt('is there a wholesale price list?');
    expect(handoff).toMatchObject({ decision: 'handoff', outcome: { kind: 'handoff', reason: 'intent_needs_person' } });
  });

  it('agrees with the real agent on 50 demo-shop questions: answered or handed off, why, and the same words', async () => {
    expect(new Set(DEMO_QUESTIONS).size).toBe(50);
    const disagreements: string[] = [];
    const kinds = new Set<string>();
    for (const question of DEMO_QUESTIONS) {
      const tried = await tryIt(question, 'api');
      const real = await askApi(question);
      kinds.add(real.reply.outcome?.kind ?? 'none');
      if (JSON.stringify(tried.outcome) !== JSON.stringify(real.reply.outcome ?? null) || tried.answer !== real.reply.text) {
        disagreements.push(`${question}: try ${JSON.stringify(tried.outcome)} "${tried.answer}" / agent ${JSON.stringify(real.reply.outcome)} "${real.reply.text}"`);
      }
    }
    expect(disagreements).toEqual([]);
    // The set exercises both sides of the decision.
    expect([...kinds].sort()).toEqual(['answered', 'handoff']);
  });
});
