import 'reflect-metadata';
import WebSocket from 'ws';
import { openDataSource } from '@cs/persistence';
import { seedDemo, SeedDemoResult } from '@cs/knowledge';
import { createTestDatabase, spawnApp, SpawnedApp, testEnv, waitFor } from '@cs/testing';
import type { DataSource } from 'typeorm';

/**
 * The three apps as separate processes on the real PostgreSQL and NATS JetStream, as in production:
 * a customer on the API channel and one on the web chat get answers from the knowledge base, and the
 * agent killed (SIGKILL) in the middle of a burst loses and doubles nothing.
 */
describe('distributed mode: gateway, agent and connectors as separate processes', () => {
  let env: NodeJS.ProcessEnv;
  let ds: DataSource;
  let demo: SeedDemoResult;
  let gateway: SpawnedApp;
  let agent: SpawnedApp;
  let connectors: SpawnedApp;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('distributed');
    env = { ...testEnv('dist'), DATABASE_URL: databaseUrl, SECRET_KEY: 'e2e-secret-key-of-at-least-32-characters', LOG_LEVEL: 'warn' };
    ds = await openDataSource({ databaseUrl, poolSize: 4 });
    demo = await seedDemo(ds, { apiKey: 'cs_live_distributed_e2e_key_0001' });
    [connectors, agent] = await Promise.all([spawnApp('connectors', env), spawnApp('agent', env)]);
    gateway = await spawnApp('gateway', env);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([gateway, agent, connectors].filter(Boolean).map((app) => app.kill()));
    await ds?.destroy();
  });

  const post = (body: unknown, wait = 0) =>
    fetch(`${gateway.url}/api/v1/channels/api/messages?wait=${wait}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers a question on the API channel from the delivery article, with its link', async () => {
    const res = await post({ text: 'how long does delivery take?', contact: { externalId: 'api-customer-1' } }, 10_000);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { conversationId: string; reply: { text: string; parts: { type: string; url?: string }[] } };
    expect(body.reply.text.toLowerCase()).toMatch(/working days|business days|delivery/);
    expect(JSON.stringify(body.reply.parts)).toContain('/kb/');
  });

  it('answers a question asked over the web-chat socket', async () => {
    const socket = new WebSocket(`${gateway.url.replace('http', 'ws')}/ws/chat?key=${demo.widgetKey}&session=e2e-session-1`);
    const received: { type: string; message?: { authorKind: string; text: string } }[] = [];
    socket.on('message', (raw) => received.push(JSON.parse(raw.toString())));
    await new Promise<void>((resolve, reject) => { socket.once('open', () => resolve()); socket.once('error', reject); });
    socket.send(JSON.stringify({ type: 'resume', after: null }));
    socket.send(JSON.stringify({ type: 'message', clientId: 'c-1', text: 'how long does delivery take?' }));
    const reply = await waitFor(() => received.find((m) => m.type === 'message' && m.message?.authorKind === 'bot'), { timeoutMs: 15_000 });
    expect(reply.message?.text.toLowerCase()).toMatch(/working days|business days|delivery/);
    socket.close();
  });

  it('gives every message of a burst exactly one reply when the agent is killed mid-way and restarted', async () => {
    const burst = 200;
    const sends: Promise<Response>[] = [];
    for (let i = 0; i < burst; i++) {
      sends.push(post({ text: i % 2 ? 'how long does delivery take?' : 'what is your returns policy?', contact: { externalId: `burst-${i % 20}` } }));
      if (i === 60) await agent.kill('SIGKILL');
    }
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 202 && s !== 200)).toEqual([]);
    agent = await spawnApp('agent', env);

    const counts = async () => {
      const [row] = await ds.query(
        `SELECT count(*)::int AS inbound,
                count(*) FILTER (WHERE r.n = 1)::int AS answered_once,
                count(*) FILTER (WHERE r.n > 1)::int AS doubled
           FROM messages m
           LEFT JOIN LATERAL (SELECT count(*)::int AS n FROM messages b WHERE b.reply_to_message_id = m.id AND b.author_kind = 'bot') r ON true
          WHERE m.direction = 'in' AND m.connector_id = 'api' AND m.external_message_id IS NOT NULL
            AND m.conversation_id IN (SELECT c.id FROM conversations c JOIN contact_identities ci ON ci.contact_id = c.contact_id
                                       WHERE ci.external_user_id LIKE 'burst-%')`,
      );
      return row as { inbound: number; answered_once: number; doubled: number };
    };
    const final = await waitFor(async () => {
      const c = await counts();
      return c.inbound === burst && c.answered_once === burst ? c : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 }).catch(async () => counts());
    expect(final).toEqual({ inbound: burst, answered_once: burst, doubled: 0 });
  });
});
