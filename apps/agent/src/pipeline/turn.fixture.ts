import { makeEnvelope, MESSAGE_TYPES, type Channel, type InboundMessage } from '@cs/contracts';
import type { TenantSettings } from '@cs/persistence';
import type { Turn } from './pipeline.types';

/** A customer's message as the pipeline sees it once stored, for unit specs of the steps after it. */
export function turnOf(text: string, opts: { settings?: TenantSettings; channel?: Channel } = {}): Turn {
  const channel = opts.channel ?? 'webchat';
  const inbound: InboundMessage = {
    connectorId: channel,
    channel,
    channelAccountId: 'account-1',
    externalMessageId: 'message-1',
    sender: { externalUserId: 'customer-1' },
    receivedAt: new Date(0).toISOString(),
    parts: [{ type: 'text', text }],
    channelData: {},
  };
  return {
    envelope: makeEnvelope(MESSAGE_TYPES.inbound, 'tenant-1', inbound),
    inbound,
    tenantId: 'tenant-1',
    tenantName: 'Demo Shop',
    settings: opts.settings ?? {},
    conversationId: 'conversation-1',
    conversationStatus: 'bot',
    inboundMessageId: 'message-1',
    text,
    startedAt: 0,
    timings: {},
  };
}
