import type { AddressInfo } from 'net';
import { BusSubjects, newId } from '@cs/contracts';
import { waitFor } from '@cs/testing';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

interface StreamEvent {
  event: string;
  data: { conversationId?: string; status?: string; detail?: Record<string, unknown> };
}

/** Opens GET /api/v1/stream as a browser's fetch-based EventSource would, collecting parsed events. */
async function openStream(url: string, auth: { Authorization: string }) {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/v1/stream`, { headers: auth, signal: abort.signal });
  const events: StreamEvent[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim();
        const data = field('data');
        if (data) events.push({ event: field('event') ?? 'message', data: JSON.parse(data) });
      }
    }
  })().catch(() => {
    // aborted
  });
  return { status: res.status, contentType: res.headers.get('content-type'), events, close: () => abort.abort() };
}

describe('the live inbox stream', () => {
  let t: AdminTestApp;
  let url: string;
  let tenantId: string;
  let agent: SignedIn;

  beforeAll(async () => {
    t = await startAdminApp('adminlive', { serve: true });
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    tenantId = (await createTenant(t.db)).id;
    agent = await signIn(t, 'agent', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('streams the tenant’s new messages, hand-offs and staff actions, and nothing of other tenants', async () => {
    const stream = await openStream(url, agent.auth);
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');
      await new Promise((r) => setTimeout(r, 100));
      const { conversation } = await seedConversation(t.db, tenantId);
      const otherTenant = newId();

      // What the agent emits when it hands a conversation off (its wire contract on the bus).
      t.bus.emit(BusSubjects.convMessage(otherTenant), { conversationId: newId(), channel: 'webchat', status: 'waiting', detail: { authorKind: 'bot', text: 'not yours' } });
      t.bus.emit(BusSubjects.convMessage(tenantId), { conversationId: conversation.id, channel: 'webchat', status: 'waiting', messageId: newId(), detail: { direction: 'out', authorKind: 'bot', text: 'A person will reply.' } });
      await waitFor(() => stream.events.some((e) => e.event === 'handoff'), { what: 'the hand-off event' });

      await t.http().post(`/api/v1/conversations/${conversation.id}/replies`).set(agent.auth).send({ text: 'Hi, I am here.' }).expect(201);
      await waitFor(() => stream.events.some((e) => e.event === 'message' && e.data.detail?.authorKind === 'person'), { what: 'the person’s message' });
      await waitFor(() => stream.events.some((e) => e.event === 'conversation' && e.data.status === 'assigned'), { what: 'the take-over' });

      expect(stream.events.every((e) => e.data.conversationId === conversation.id)).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('refuses the stream without credentials', async () => {
    const res = await fetch(`${url}/api/v1/stream`);
    expect(res.status).toBe(401);
  });
});
