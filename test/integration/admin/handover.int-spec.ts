import type { AddressInfo } from 'net';
import WebSocket from 'ws';
import { seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { Conversation, Message } from '@cs/persistence';
import { createTestDatabase, waitFor } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { startAdminApp, type AdminTestApp } from './admin-test-app';

interface ChatFrame {
  type: string;
  message?: { id: string; conversationId: string; authorKind: string; text: string };
}

/** The customer's browser: the widget's WebSocket protocol, every frame kept. */
async function openChat(url: string, widgetKey: string, session: string) {
  const frames: ChatFrame[] = [];
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/chat?key=${widgetKey}&session=${session}`);
  socket.on('message', (raw) => frames.push(JSON.parse(String(raw)) as ChatFrame));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'resume', after: null }));
  let sent = 0;
  return {
    frames,
    messages: () => frames.filter((f) => f.type === 'message').map((f) => f.message as NonNullable<ChatFrame['message']>),
    say: (text: string) => socket.send(JSON.stringify({ type: 'message', clientId: `c${++sent}`, text })),
    close: () => socket.close(),
  };
}

describe('a person takes over a web-chat conversation from the console', () => {
  let t: AdminTestApp;
  let url: string;
  let demo: SeedDemoResult;

  beforeAll(async () => {
    // The whole product in one app on real PostgreSQL and NATS: gateway (console, widget socket), agent, connectors.
    const databaseUrl = await createTestDatabase('adminhandover');
    t = await startAdminApp('adminhandover', { root: 'gateway', imports: [AgentModule, ConnectorsModule], databaseUrl, serve: true });
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    demo = await seedDemo(t.db, { publicUrl: url, adminPassword: 'demo admin password' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('delivers the person’s reply to the customer, keeps the bot silent, and returns to the bot after resolve and a new message', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ email: demo.adminEmail, password: 'demo admin password' }).expect(200);
    const staff = { Authorization: `Bearer ${login.body.accessToken}` };
    const chat = await openChat(url, demo.widgetKey, `handover${Date.now()}`);
    try {
      chat.say('How long does delivery take?');
      const botAnswer = await waitFor(() => chat.messages().find((m) => m.authorKind === 'bot'), { what: 'the bot’s answer', timeoutMs: 20_000 });
      const conversationId = botAnswer.conversationId;

      const inbox = await t.http().get('/api/v1/conversations').query({ q: 'delivery', channel: 'webchat' }).set(staff).expect(200);
      expect(inbox.body.items.map((c: { id: string }) => c.id)).toContain(conversationId);
      await t.http().post(`/api/v1/conversations/${conversationId}/replies`).set(staff).send({ text: 'Hi, Maria here. Anything else I can help with?' }).expect(201);
      const personal = await waitFor(() => chat.messages().find((m) => m.authorKind === 'person'), { what: 'the person’s reply on the socket' });
      expect(personal.text).toBe('Hi, Maria here. Anything else I can help with?');

      const botRepliesBefore = chat.messages().filter((m) => m.authorKind === 'bot').length;
      chat.say('Yes: how long does delivery take to Norway?');
      await waitFor(async () => (await t.db.manager.countBy(Message, { conversationId, direction: 'in' })) === 2, { what: 'the second question stored' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(chat.messages().filter((m) => m.authorKind === 'bot')).toHaveLength(botRepliesBefore);
      expect(await t.db.manager.findOneByOrFail(Conversation, { id: conversationId })).toMatchObject({ status: 'assigned' });

      await t.http().post(`/api/v1/conversations/${conversationId}/resolve`).set(staff).expect(200);
      chat.say('One more thing: how long does delivery take?');
      await waitFor(() => chat.messages().filter((m) => m.authorKind === 'bot').length > botRepliesBefore, { what: 'the bot answering again', timeoutMs: 20_000 });
      expect(await t.db.manager.findOneByOrFail(Conversation, { id: conversationId })).toMatchObject({ status: 'bot', assigneeId: null });
    } finally {
      chat.close();
    }
  });
  it('outside business hours tells the web-chat customer when the shop opens, and assigns the hand-off to the team’s member', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ email: demo.adminEmail, password: 'demo admin password' }).expect(200);
    const staff = { Authorization: `Bearer ${login.body.accessToken}` };
    // Open only tomorrow (UTC), 09:00 to 10:00: closed now, whatever the time of the run.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][tomorrow.getUTCDay()];
    const weekday = tomorrow.toLocaleDateString('en', { weekday: 'long', timeZone: 'UTC' });
    await t.http().patch('/api/v1/settings').set(staff).send({ timezone: 'UTC', businessHours: { [day]: [['09:00', '10:00']] } }).expect(200);
    const me = (await t.http().get('/api/v1/auth/me').set(staff).expect(200)).body as { id: string };
    await t.http().post('/api/v1/teams').set(staff).send({ name: 'Front desk', receivesHandoffs: true, memberIds: [me.id] }).expect(201);

    const chat = await openChat(url, demo.widgetKey, `afterhours${Date.now()}`);
    try {
      chat.say('I want to talk to a human, please.');
      const holding = await waitFor(() => chat.messages().find((m) => m.authorKind === 'bot'), { what: 'the hand-off message', timeoutMs: 20_000 });
      expect(holding.text).toBe(`Of course. I've passed your conversation to our team, and a person will reply here when we open again on ${weekday} at 09:00 UTC.`);
      const assigned = await waitFor(async () => {
        const c = await t.db.manager.findOneByOrFail(Conversation, { id: holding.conversationId });
        return c.assigneeId ? c : null;
      }, { what: 'the round-robin assignment' });
      expect(assigned).toMatchObject({ status: 'assigned', assigneeId: me.id });
      expect(assigned.waitingSince).toBeInstanceOf(Date);
    } finally {
      chat.close();
      await t.http().patch('/api/v1/settings').set(staff).send({ businessHours: null }).expect(200);
    }
  });
});
