import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDataSource } from '@cs/persistence';
import { seedDemo } from '@cs/knowledge';
import { createTestDatabase, spawnApp, testEnv, type SpawnedApp } from '@cs/testing';
import { FakeSlack, type FakeSlackUser } from '../../fakes/slack/fake-slack';
import { seedSlackAccount } from '../../fakes/slack/slack-bench';

export const SHOP_TEAM = 'T0SHOP';
export const CUSTOMER_TEAM = 'T0ACME';
export const SECRET_KEY = 'slack-int-secret-key-of-at-least-32-chars';
const ADMIN_PASSWORD = 'slack-admin-password-1';

export interface SlackStack {
  slack: FakeSlack;
  ds: DataSource;
  tenantId: string;
  channelAccountId: string;
  gateway: SpawnedApp;
  customer: FakeSlackUser;
  staff: FakeSlackUser;
  eventsUrl: string;
  interactionsUrl: string;
  /** The demo tenant's admin, signed in to the console API. */
  adminLogin(): Promise<{ Authorization: string }>;
  stop(): Promise<void>;
}

/**
 * The three apps as separate processes on the real PostgreSQL and NATS, the demo tenant with a
 * Slack channel account (secrets sealed as the console stores them), and the fake Slack that
 * both receives the Web API calls and sends the signed events.
 */
export async function startSlackStack(name: string): Promise<SlackStack> {
  const slack = await new FakeSlack({
    teamId: SHOP_TEAM,
    botToken: 'xoxb-fake-shop-bot-token',
    botUserId: 'U0SHOPBOT',
    botId: 'B0SHOPBOT',
    signingSecret: 'fake-signing-secret-0123456789abcdef',
    appToken: 'xapp-1-A0FAKEAPP-fake-app-level-token',
    clientId: '111.222',
    clientSecret: 'fake-client-secret',
  }).start();
  const customer: FakeSlackUser = { id: 'U0ADA', teamId: CUSTOMER_TEAM, name: 'Ada', email: 'ada@acme.example' };
  const staff: FakeSlackUser = { id: 'U0SAM', teamId: SHOP_TEAM, name: 'Sam', email: 'sam@shop.example' };
  slack.addUser(customer);
  slack.addUser(staff);

  const databaseUrl = await createTestDatabase(name);
  const ds = await openDataSource({ databaseUrl, poolSize: 4 });
  const { tenantId, adminEmail } = await seedDemo(ds, { apiKey: `cs_live_${name}_key_000000000001`, adminPassword: ADMIN_PASSWORD });
  const channelAccountId = await seedSlackAccount(ds, tenantId, slack, SECRET_KEY, ['C0INTERNAL']);

  const env = {
    ...testEnv(name),
    DATABASE_URL: databaseUrl,
    SECRET_KEY,
    SLACK_API_URL: slack.apiUrl,
    // The service's own Slack app, for OAuth installs by other tenants.
    SLACK_CLIENT_ID: slack.options.clientId,
    SLACK_CLIENT_SECRET: slack.options.clientSecret,
    SLACK_SIGNING_SECRET: slack.options.signingSecret,
    LOG_LEVEL: 'warn',
  };
  const [connectors, agent] = await Promise.all([spawnApp('connectors', env), spawnApp('agent', env)]);
  const gateway = await spawnApp('gateway', env);
  return {
    slack,
    ds,
    tenantId,
    channelAccountId,
    gateway,
    customer,
    staff,
    eventsUrl: `${gateway.url}/hooks/slack/events`,
    interactionsUrl: `${gateway.url}/hooks/slack/interactions`,
    async adminLogin() {
      const res = await fetch(`${gateway.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: adminEmail, password: ADMIN_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`admin login answered ${res.status}: ${await res.text()}`);
      return { Authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` };
    },
    async stop() {
      await Promise.all([gateway, agent, connectors].map((app) => app.kill()));
      await ds.destroy();
      await slack.stop();
    },
  };
}

/** Fresh channel per test: Slack's one-message-a-second pacing never couples two tests. */
let channelCounter = 0;
export function freshChannel(): string {
  channelCounter += 1;
  return `C0SHARED${channelCounter}${Date.now().toString(36).toUpperCase()}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
