import { BusSubjects, makeEnvelope, MESSAGE_TYPES, newId, textOf, type InboundMessage } from '@cs/contracts';
import { waitFor } from '@cs/testing';
import type { FakeShopify } from '../../fakes/shopify/fake-shopify';
import type { BrainHarness } from '../brain/brain-harness';
import { runConnectBackend } from '../../../apps/agent/src/actions/connect-backend.cli';

export type Channel = 'email' | 'sms' | 'slack';
const CONNECTORS: Record<Channel, string> = { email: 'email', sms: 'twilio-sms', slack: 'slack' };

/** Connects the fake store to the demo tenant the way the README says: the command, the token from the environment. */
export async function connectFakeShopify(brain: BrainHarness, shop: FakeShopify): Promise<void> {
  const settings = { shopDomain: 'demo-shop.myshopify.com', apiVersion: '2025-10', apiBaseUrl: shop.origin };
  await runConnectBackend(['--tenant', brain.demo.tenantId, '--backend', 'shopify', '--name', 'Demo store', '--settings', JSON.stringify(settings)], {
    DATABASE_URL: (brain.ds.options as { url: string }).url,
    SECRET_KEY: 'brain-int-spec-secret-key-of-32-characters',
    ACTION_BACKEND_SECRETS: JSON.stringify({ accessToken: shop.accessToken }),
  });
}

/**
 * One conversation of a customer on email, SMS or Slack with the demo shop: each call publishes a
 * message from `from` as the channel's connector would, and returns the reply the agent published
 * with the trace stored on it.
 */
export function channelCustomer(brain: BrainHarness, channel: Channel, from: string): (text: string) => Promise<{ text: string; trace: Record<string, unknown> }> {
  const thread = channel === 'email' ? `<${newId()}@mail.test>` : channel === 'slack' ? `${Date.now()}.000100` : from;
  return async (text) => {
    const connectorId = CONNECTORS[channel];
    const [account] = await brain.ds.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = $2`, [brain.demo.tenantId, connectorId]);
    const accountId: string = account?.id ?? newId();
    if (!account) {
      await brain.ds.query(`INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, public_key, status) VALUES ($1, $2, $3, $3, '{}', $4, 'active')`, [
        accountId,
        brain.demo.tenantId,
        connectorId,
        `${connectorId}-${newId()}`,
      ]);
    }
    const message: InboundMessage = {
      connectorId,
      channel,
      channelAccountId: accountId,
      externalMessageId: channel === 'email' ? `<${newId()}@mail.test>` : channel === 'sms' ? `SM${newId().replace(/-/g, '')}` : `${Date.now()}.${newId().slice(-6)}`,
      externalThreadId: thread,
      sender: channel === 'slack' ? { externalUserId: from, displayName: 'Sam' } : { externalUserId: from, address: from },
      receivedAt: new Date().toISOString(),
      parts: [{ type: 'text', text }],
      channelData: channel === 'email' ? { subject: 'My order' } : channel === 'slack' ? { channel: 'C0SHARED', thread_ts: thread } : {},
    };
    await brain.bus.publish(BusSubjects.msgIn(channel, brain.demo.tenantId), makeEnvelope(MESSAGE_TYPES.inbound, brain.demo.tenantId, message));
    const reply = await waitFor(() => brain.outbox.find((o) => o.channelData.replyToExternalMessageId === message.externalMessageId), {
      timeoutMs: 30_000,
      what: `the ${channel} reply to "${text}"`,
    });
    const [row] = await brain.ds.query(`SELECT trace FROM messages WHERE id = $1`, [reply.messageId]);
    return { text: textOf(reply.parts), trace: row.trace };
  };
}
