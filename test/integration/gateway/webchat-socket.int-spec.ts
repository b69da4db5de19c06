import { WebSocket } from 'ws';
import { ConnectorsModule } from '@cs/connectors';
import type { InboundMessage } from '@cs/contracts';
import type { Subscription } from '@cs/messaging';
import { waitFor } from '@cs/testing';
import { addMessages, createConversation, createTenant, type TenantFixture } from '../../../apps/gateway/src/testing/gateway-fixtures';
import { startGatewayTestApp, type GatewayTestApp } from '../../../apps/gateway/src/testing/gateway-test-app';
import { BusSubjects } from '@cs/contracts';

jest.setTimeout(60_000);

interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A widget-like client: every frame it receives, in order, and how the socket closed. */
class ChatClient {
  readonly frames: Frame[] = [];
  closed?: { code: number };
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    ws.on('close', (code) => (this.closed = { code }));
  }

  static async open(url: string, key: string, session: string): Promise<ChatClient> {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/chat?key=${encodeURIComponent(key)}&session=${encodeURIComponent(session)}`);
    const client = new ChatClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  messages(): { id: string; text: string; authorKind: string; clientId?: string }[] {
    return this.frames.filter((f) => f.type === 'message').map((f) => f.message as { id: string; text: string; authorKind: string; clientId?: string });
  }

  close(): void {
    this.ws.close();
  }
}

describe('web chat socket', () => {
  let t: GatewayTestApp;
  let shop: TenantFixture;
  const clients: ChatClient[] = [];
  const subscriptions: Subscription[] = [];
  const received: InboundMessage[] = [];

  const open = async (key: string, session: string) => {
    const client = await ChatClient.open(t.url, key, session);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await startGatewayTestApp({ imports: [ConnectorsModule] });
    shop = await createTenant(t.dataSource, 'Chat shop');
    // The agent, faked at its wire protocol: it reads msg.in.webchat.* and pushes a reply to the
    // session the way the webchat connector does, on webchat.deliver.<sessionId>.
    subscriptions.push(
      await t.bus.consume({ durable: 'fake-agent-webchat', filterSubjects: [BusSubjects.msgInChannel('webchat')] }, async (msg) => {
        const inbound = msg.envelope.data as InboundMessage;
        received.push(inbound);
        const session = inbound.sender.externalUserId;
        t.bus.emit(BusSubjects.webchatDeliver(session), { type: 'typing', conversationId: 'c-1' });
        t.bus.emit(BusSubjects.webchatDeliver(session), { type: 'delta', conversationId: 'c-1', replyToMessageId: 'm-in', index: 0, delta: 'Echo' });
        t.bus.emit(BusSubjects.webchatDeliver(session), {
          type: 'message',
          message: {
            id: `0190f5c6-0000-7000-8000-${String(received.length).padStart(12, '0')}`,
            conversationId: 'c-1',
            direction: 'out',
            authorKind: 'bot',
            text: `Echo: ${inbound.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')}`,
            parts: [],
            createdAt: new Date().toISOString(),
          },
        });
      }),
    );
  });

  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
    await t?.close();
  });

  it('closes the socket with an error when the widget key is unknown', async () => {
    const client = await open('wk_unknown_key', 'session-unknown-1');
    await waitFor(() => client.closed, { what: 'close' });
    expect(client.closed?.code).toBe(4401);
    expect(client.frames).toEqual([expect.objectContaining({ type: 'error', code: 'UNKNOWN_WIDGET' })]);
  });

  it('restores the history of the session in order, without private notes, with the client ids of sent messages', async () => {
    const session = 'history-session-0001';
    const { conversationId } = await createConversation(t.dataSource, shop.tenantId, 'webchat', session);
    const ids = await addMessages(t.dataSource, shop.tenantId, conversationId, 'webchat', [
      { direction: 'in', text: 'hello', clientId: 'c-hello' },
      { direction: 'out', text: 'Hi! How can I help?' },
      { direction: 'out', text: 'note for colleagues', private: true },
      { direction: 'in', text: 'where is my parcel?', clientId: 'c-parcel' },
    ]);
    const first = await open(shop.widgetKey, session);
    first.send({ type: 'resume', after: null });
    await waitFor(() => first.messages().length === 3, { what: 'history' });
    expect(first.messages()).toEqual([
      expect.objectContaining({ id: ids[0], text: 'hello', authorKind: 'contact', clientId: 'c-hello' }),
      expect.objectContaining({ id: ids[1], text: 'Hi! How can I help?', authorKind: 'bot' }),
      expect.objectContaining({ id: ids[3], text: 'where is my parcel?', clientId: 'c-parcel' }),
    ]);

    // A reconnect resumes after the last message it saw: nothing repeated.
    const again = await open(shop.widgetKey, session);
    again.send({ type: 'resume', after: ids[1] });
    await waitFor(() => again.messages().length === 1, { what: 'resumed history' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.messages().map((m) => m.id)).toEqual([ids[3]]);

    // Another session of the same tenant sees none of it.
    const stranger = await open(shop.widgetKey, 'history-session-0002');
    stranger.send({ type: 'resume', after: null });
    stranger.send({ type: 'ping' });
    await waitFor(() => stranger.frames.some((f) => f.type === 'pong'), { what: 'pong' });
    expect(stranger.messages()).toEqual([]);
  });

  it('acks a typed message and delivers the reply and typing to every tab of the session only', async () => {
    const session = 'live-session-0001';
    const tab1 = await open(shop.widgetKey, session);
    const tab2 = await open(shop.widgetKey, session);
    const elsewhere = await open(shop.widgetKey, 'live-session-0002');
    tab1.send({ type: 'resume', after: null });
    tab1.send({ type: 'message', clientId: 'm-1', text: 'how long does delivery take?' });

    await waitFor(() => tab1.frames.some((f) => f.type === 'ack' && f.clientId === 'm-1'), { what: 'ack' });
    for (const tab of [tab1, tab2]) {
      await waitFor(() => tab.messages().length === 1, { what: 'reply' });
      expect(tab.messages()[0]).toMatchObject({ authorKind: 'bot', text: 'Echo: how long does delivery take?' });
      expect(tab.frames.some((f) => f.type === 'typing')).toBe(true);
      expect(tab.frames.find((f) => f.type === 'delta')).toMatchObject({ replyToMessageId: 'm-in', index: 0, delta: 'Echo' });
    }
    expect(received.find((m) => m.sender.externalUserId === session)?.channelData).toEqual({ clientId: 'm-1' });
    expect(elsewhere.frames).toEqual([]);
  });

  it('a message resent with the same clientId after a reconnect reaches the agent once', async () => {
    const session = 'resend-session-0001';
    const first = await open(shop.widgetKey, session);
    first.send({ type: 'message', clientId: 'dup-1', text: 'are you open on sunday?' });
    await waitFor(() => first.frames.some((f) => f.type === 'ack'), { what: 'first ack' });
    first.close();
    const second = await open(shop.widgetKey, session);
    second.send({ type: 'message', clientId: 'dup-1', text: 'are you open on sunday?' });
    await waitFor(() => second.frames.some((f) => f.type === 'ack'), { what: 'second ack' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.filter((m) => m.sender.externalUserId === session)).toHaveLength(1);
  });

  it('answers a malformed frame with an error naming the field, and keeps the socket open', async () => {
    const client = await open(shop.widgetKey, 'bad-frame-session-1');
    client.send({ type: 'message', clientId: 'm-x', text: '' });
    client.ws.send('not json');
    await waitFor(() => client.frames.filter((f) => f.type === 'error').length === 2, { what: 'errors' });
    expect(client.frames[0]).toMatchObject({ type: 'error', code: 'BAD_FRAME', clientId: 'm-x' });
    expect(String(client.frames[0].message)).toMatch(/^text:/);
    expect(client.closed).toBeUndefined();
  });

  it('cleans NUL, control characters and lone surrogates out of a typed message before it goes on, and refuses one left empty', async () => {
    const session = 'unsafe-text-session-1';
    const client = await open(shop.widgetKey, session);
    // Escapes as the widget's JSON would carry them: a lone surrogate cannot survive JSON.stringify of a real string.
    client.ws.send('{"type":"message","clientId":"nul-1","text":"hello\\u0000 delivery\\u0007 \\ud800?"}');
    await waitFor(() => client.frames.some((f) => f.type === 'ack' && f.clientId === 'nul-1'), { what: 'ack of the cleaned message' });
    const inbound = await waitFor(() => received.find((m) => m.sender.externalUserId === session), { what: 'the cleaned message on the bus' });
    expect(inbound.parts).toEqual([{ type: 'text', text: 'hello delivery \ufffd?' }]);

    client.ws.send('{"type":"message","clientId":"nul-2","text":"\\u0000\\u0001"}');
    await waitFor(() => client.frames.some((f) => f.type === 'error' && f.clientId === 'nul-2'), { what: 'the refusal' });
    expect(client.frames.find((f) => f.clientId === 'nul-2')).toMatchObject({ code: 'BAD_FRAME', message: expect.stringMatching(/^text:/) });
  });
});
