import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { SecretBox } from '@cs/config';
import type { FakeSlack, FakeSlackUser } from './fake-slack';

/**
 * A Slack channel account for `tenantId` that talks to `slack` (the fake): its team id as the
 * public key, token and signing secret sealed with SECRET_KEY as the console stores them.
 */
export async function seedSlackAccount(ds: DataSource, tenantId: string, slack: FakeSlack, secretKey: string, internalChannels: string[] = []): Promise<string> {
  const id = newId();
  const o = slack.options;
  await ds.query(
    `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted, public_key, status)
     VALUES ($1, $2, 'slack', 'Shop Slack', $3, $4, $5, 'active')`,
    [
      id,
      tenantId,
      JSON.stringify({ teamId: o.teamId, supportChannels: [], internalChannels }),
      new SecretBox(secretKey).seal({ botToken: o.botToken, signingSecret: o.signingSecret, ...(o.appToken ? { appToken: o.appToken } : {}) }),
      o.teamId,
    ],
  );
  return id;
}

/**
 * Slack event in → chat.postMessage out, per question: `concurrency` customers keep asking, each
 * in a channel of their own (Slack's one-message-a-second pacing is per channel), for `count`
 * questions. Latency is from sending the signed event to the fake receiving the answer. For
 * `npm run bench`, beside the API channel: start the fake, seed the account, give the apps
 * SLACK_API_URL=slack.apiUrl, then call this with the gateway's `/hooks/slack/events`.
 */
export async function benchSlackRoundTrips(
  slack: FakeSlack,
  eventsUrl: string,
  customer: FakeSlackUser,
  opts: { count: number; concurrency: number; question?: string; timeoutMs?: number },
): Promise<{ latencies: number[]; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const worker = async (w: number) => {
    for (let i = next++; i < opts.count; i = next++) {
      const channel = `C0BENCH${w}X${i}X${Date.now().toString(36).toUpperCase()}`;
      const event = slack.messageEvent(customer, channel, opts.question ?? 'How long does delivery take?');
      const answered = slack.nextPostIn(channel, String(event.ts), opts.timeoutMs ?? 30_000);
      const started = performance.now();
      try {
        const res = await slack.sendEvent(eventsUrl, slack.envelope(event));
        if (res.status !== 200) throw new Error(`events answered ${res.status}`);
        await answered;
        latencies.push(performance.now() - started);
      } catch {
        answered.catch(() => undefined);
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  return { latencies, failures };
}
