import type { AddressInfo } from 'net';
import type { Duplex } from 'stream';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WebSocket, WebSocketServer } from 'ws';
import { waitFor } from '@cs/testing';
import { UpgradeRouter } from './upgrade-router';
import { UpgradeRouterModule } from './upgrade-router.module';

/** What a client saw: the first frame of an accepted socket, or the status of a refused upgrade. */
async function connect(url: string): Promise<{ frame?: string; status?: number }> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => {
      resolve({ frame: data.toString() });
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', reject);
  });
}

describe('UpgradeRouter', () => {
  let app: INestApplication;
  let base: string;
  const wss = new WebSocketServer({ noServer: true });
  const upgraded: Duplex[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [UpgradeRouterModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    // Observes every upgraded socket, to see the router close the ones it refuses.
    app.getHttpServer().prependListener('upgrade', (_req: unknown, socket: Duplex) => upgraded.push(socket));

    const router = app.get(UpgradeRouter);
    router.register({ path: '/ws/chat' }, (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => ws.send('chat'));
    });
    router.register({ prefix: '/hooks/' }, (req, socket, head, url) => {
      if (!url.pathname.endsWith('/media')) return false;
      wss.handleUpgrade(req, socket, head, (ws) => ws.send(`media ${url.pathname}`));
    });
  });

  afterAll(async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    await app?.close();
  });

  it('hands an exact path and a path under a prefix to their own handlers', async () => {
    expect(await connect(`${base}/ws/chat?key=k&session=s`)).toEqual({ frame: 'chat' });
    expect(await connect(`${base}/hooks/twilio-voice/abc/media`)).toEqual({ frame: 'media /hooks/twilio-voice/abc/media' });
  });

  it('answers 404 to an unknown path and closes the socket', async () => {
    const before = upgraded.length;
    expect(await connect(`${base}/ws/elsewhere`)).toEqual({ status: 404 });
    const socket = await waitFor(() => upgraded[before], { what: 'the upgraded socket' });
    await waitFor(() => socket.destroyed, { what: 'the socket closed' });
  });

  it('answers 404 to a path a prefix owner declines', async () => {
    expect(await connect(`${base}/hooks/twilio-voice/abc/recording`)).toEqual({ status: 404 });
  });

  it('refuses a second handler for the same route, and forgets a route once unregistered', async () => {
    const router = app.get(UpgradeRouter);
    expect(() => router.register({ path: '/ws/chat' }, () => undefined)).toThrow(/registered twice/);
    const unroute = router.register({ path: '/ws/once' }, (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => ws.send('once'));
    });
    expect(await connect(`${base}/ws/once`)).toEqual({ frame: 'once' });
    unroute();
    expect(await connect(`${base}/ws/once`)).toEqual({ status: 404 });
  });
});
