import net from 'net';
import type { AddressInfo } from 'net';
import { HealthModule } from '@cs/config';
import { testEnv } from '@cs/testing';
import { createTenant, signIn, startAdminApp, type AdminTestApp } from './admin-test-app';

jest.setTimeout(60_000);

/**
 * A TCP relay between the gateway and PostgreSQL that the test can cut: while it is down, open
 * connections are reset and new ones refused, as when the database restarts or its host goes away.
 */
class CuttableRelay {
  private readonly sockets = new Set<net.Socket>();
  private server?: net.Server;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => (this.server as net.Server).listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('during a database outage reads answer 503 with Retry-After, not 500, and the gateway recovers by itself', () => {
  let t: AdminTestApp;
  let relay: CuttableRelay;
  let owner: { Authorization: string };

  beforeAll(async () => {
    const url = new URL(testEnv().DATABASE_URL);
    relay = new CuttableRelay(url.hostname, Number(url.port || 5432));
    await relay.up();
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    t = await startAdminApp('dboutage', { databaseUrl: url.toString(), imports: [HealthModule] });
    owner = (await signIn(t, 'owner', (await createTenant(t.db, 'Outage shop')).id)).auth;
  });

  afterAll(async () => {
    await t?.close();
    await relay?.down();
  });

  it('answers 503 UNAVAILABLE with Retry-After while PostgreSQL is unreachable, and 200 again once it is back', async () => {
    await t.http().get('/api/v1/contacts').set(owner).expect(200);

    await relay.down();
    for (const path of ['/api/v1/contacts', '/api/v1/conversations', '/api/v1/knowledge/articles']) {
      // Twice: the first meets a connection that was reset, the second a refused new one.
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await t.http().get(path).set(owner);
        expect({ path, status: res.status }).toEqual({ path, status: 503 });
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body.error).toMatchObject({ status: 503, code: 'UNAVAILABLE', message: expect.stringContaining('database') });
      }
    }
    // The process itself is alive; readiness says what is down.
    await t.http().get('/healthz').expect(200);
    expect((await t.http().get('/readyz')).status).toBe(503);

    await relay.up();
    const back = async () => (await t.http().get('/api/v1/contacts').set(owner)).status;
    let status = await back();
    for (let i = 0; i < 20 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await back();
    }
    expect(status).toBe(200);
  });
});
