import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { spawnApp, SpawnedApp, waitFor } from '@cs/testing';

/** `npm start` on a machine with nothing but Node: PGlite in a temp DATA_DIR, the in-process bus. */
describe('embedded mode (npm start)', () => {
  let app: SpawnedApp;
  const apiKey = 'cs_live_embedded_e2e_key_00001';

  beforeAll(async () => {
    // A fresh model cache: this start must train its intent model itself (LOG_LEVEL log shows it).
    const modelCache = mkdtempSync(path.join(tmpdir(), 'cs-intent-models-'));
    app = await spawnApp('embedded', { DEMO_API_KEY: apiKey, LOG_LEVEL: 'log', INTENT_MODEL_CACHE_DIR: modelCache }, { readyLine: /READY http/, readyTimeoutMs: 90_000 });
  }, 120_000);

  afterAll(() => app?.kill());

  it('prints the demo page, the API key and the admin login', () => {
    expect(app.logs()).toContain(apiKey);
    expect(app.logs()).toMatch(/admin@demo\.shop/);
  });

  it('trains its intent model on a worker thread, not on the thread that answers customers', async () => {
    await waitFor(() => /trained the intent model \w+ \(0 tenant examples, in a worker thread\)/.test(app.logs()), { timeoutMs: 60_000, what: 'the intent model trained in a worker' });
  });

  it('answers through the API channel from the seeded knowledge base', async () => {
    const res = await fetch(`${app.url}/api/v1/channels/api/messages?wait=10000`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'how long does delivery take?', contact: { externalId: 'embedded-1' } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { conversationId: string; reply: { text: string } };
    expect(body.reply.text.toLowerCase()).toMatch(/working days|business days|delivery/);

    const list = await fetch(`${app.url}/api/v1/conversations/${body.conversationId}/messages`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(list.status).toBe(200);
    const messages = (await list.json()) as { items?: { authorKind: string }[] } | { authorKind: string }[];
    const items = Array.isArray(messages) ? messages : messages.items ?? [];
    expect(items.map((m) => m.authorKind)).toEqual(['contact', 'bot']);
  });

  it('hands off honestly when the knowledge base does not cover the question', async () => {
    const res = await fetch(`${app.url}/api/v1/channels/api/messages?wait=10000`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Do you sell replacement parts for vintage tractors?', contact: { externalId: 'embedded-2' } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reply: { text: string } };
    expect(body.reply.text.toLowerCase()).toMatch(/person|team|colleague|human/);
  });
});
