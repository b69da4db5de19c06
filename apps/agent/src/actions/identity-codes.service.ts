import { createHash, randomInt, timingSafeEqual } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Channel, ReplyLanguage } from '@cs/contracts';
import { ConversationNotifier } from '../conversations/conversation-notifier.service';
import { render } from '../pipeline/text/templates';
import type { ShopOrder } from './action-backend';

/** How long a one-time code is good for. */
export const CODE_TTL_MS = 10 * 60_000;
/** Codes sent for one flow before a person takes over: each send reaches the order's owner, so a stranger must not repeat it at will. */
export const MAX_CODE_SENDS = 3;
/** Codes sent for one order in an hour, whoever asks: new conversations must not make the owner's inbox a target. */
export const MAX_CODES_PER_ORDER_HOUR = 5;

/** Where the code went (masked, for the customer) and what the flow keeps to check it (never the code). */
export interface SentCode {
  destination: string;
  via: 'email' | 'sms';
  hash: string;
  expiresAt: number;
}

const CONNECTOR: Record<SentCode['via'], { connectorId: string; channel: Channel }> = {
  email: { connectorId: 'email', channel: 'email' },
  sms: { connectorId: 'twilio-sms', channel: 'sms' },
};

/**
 * One-time codes for identity where the channel proves nothing (web chat, API, Slack): a six-digit
 * code goes to the order's own email (the tenant's email channel, SMTP) or phone (its SMS number),
 * through the connectors like any message; the flow keeps only a salted hash and the expiry. The
 * stored message says where a code went, never the code: only the copy on the wire carries it.
 */
@Injectable()
export class IdentityCodes {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(ConversationNotifier) private readonly notifier: ConversationNotifier,
  ) {}

  /**
   * Sends a new code for `flowId`; `no_route` when the order has no email or phone the tenant can
   * reach, `too_many` when this order had MAX_CODES_PER_ORDER_HOUR codes in the last hour.
   */
  async send(tenantId: string, conversationId: string, flowId: string, order: ShopOrder, language: ReplyLanguage): Promise<SentCode | 'no_route' | 'too_many'> {
    const route = await this.route(tenantId, order);
    if (!route) return 'no_route';
    const [recent] = (await this.ds.query(
      `SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1 AND author_kind = 'bot' AND created_at > now() - interval '1 hour'
          AND trace->>'generator' = 'identity_code' AND trace->>'order' = $2`,
      [tenantId, order.number],
    )) as { n: number }[];
    if (recent.n >= MAX_CODES_PER_ORDER_HOUR) return 'too_many';
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = Date.now() + CODE_TTL_MS;
    const text = render(language, 'codeMessage', { code, minutes: String(CODE_TTL_MS / 60_000) });
    const destination = route.via === 'email' ? maskEmail(route.address) : maskPhone(route.address);
    const { connectorId, channel } = CONNECTOR[route.via];
    const recorded = `One-time code sent to ${destination}.`;
    await this.notifier.deliver(
      tenantId,
      conversationId,
      {
        connectorId,
        channel,
        channelAccountId: route.accountId,
        target: { externalUserId: route.address, address: route.address },
        language,
        channelData: route.via === 'email' ? { subject: render(language, 'codeSubject') } : {},
      },
      [{ type: 'text', text }],
      { text: recorded, trace: { generator: 'identity_code', via: route.via, destination, order: order.number } },
    );
    return { destination, via: route.via, hash: hashOf(flowId, code), expiresAt };
  }

  /** Whether `typed` is the code whose hash the flow kept. */
  matches(flowId: string, hash: string, typed: string): boolean {
    const expected = Buffer.from(hash, 'hex');
    const actual = Buffer.from(hashOf(flowId, typed), 'hex');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /**
   * The order's email through the tenant's email account, else its phone through its SMS account;
   * of several, the one set up last (a shop that moved to a new mailbox or number keeps the old one
   * active for a while, and customers know the new one).
   */
  private async route(tenantId: string, order: ShopOrder): Promise<{ via: SentCode['via']; address: string; accountId: string } | null> {
    const accounts: { id: string; connector_id: string }[] = await this.ds.query(
      `SELECT id, connector_id FROM channel_accounts WHERE tenant_id = $1 AND status = 'active' AND connector_id IN ('email', 'twilio-sms') ORDER BY created_at DESC, id DESC`,
      [tenantId],
    );
    const email = accounts.find((a) => a.connector_id === 'email');
    if (order.email && email) return { via: 'email', address: order.email, accountId: email.id };
    const sms = accounts.find((a) => a.connector_id === 'twilio-sms');
    if (order.phone && sms) return { via: 'sms', address: order.phone, accountId: sms.id };
    return null;
  }
}

/** Six digits standing alone in a short message: the code typed back. */
export function codeIn(text: string): string | undefined {
  const t = text.trim();
  if (t.length > 40) return undefined;
  return /(?<![\d#])(\d{3})[ -]?(\d{3})(?!\d)/.exec(t)?.slice(1, 3).join('');
}

function hashOf(flowId: string, code: string): string {
  return createHash('sha256').update(`${flowId}:${code}`).digest('hex');
}

function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

function maskPhone(phone: string): string {
  return `***${phone.replace(/\D/g, '').slice(-4)}`;
}
