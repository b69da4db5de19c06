import { z } from 'zod';
import type { Channel, DeliveryStatus, InboundMessage, OutboundMessage } from './messages';

/** What the gateway forwards on `cs.webhook.<connectorId>`: one public HTTP request, verbatim. */
export const webhookRequestSchema = z.object({
  method: z.string(),
  /** The URL as the vendor saw it: PUBLIC_URL + path + query, never rebuilt from a Host header. */
  url: z.string(),
  path: z.string(),
  query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
  headers: z.record(z.string(), z.string()).default({}),
  /** The raw body, base64, so signatures can be checked over the exact bytes. */
  bodyBase64: z.string().default(''),
  receivedAt: z.string(),
});
export type WebhookRequest = z.infer<typeof webhookRequestSchema>;

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface ConnectorCapabilities {
  threads: boolean;
  attachments: boolean;
  maxTextLength: number;
  typing: boolean;
  richText: boolean;
}

export interface ConnectorDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  id: string;
  channel: Channel;
  displayName: string;
  /** Per-tenant settings; every field titled and described, secrets flagged with `.meta({ secret: true })`. */
  settings: S;
  capabilities: ConnectorCapabilities;
  /**
   * The setting whose value is the account's public key, how inbound traffic that names no account
   * finds it (Slack: `teamId`). The console and CHANNELS_FILE set the key from it.
   */
  publicKeySetting?: string;
}

/** The public key a connector derives from an account's (validated) settings, if it derives one. */
export function derivedPublicKey(definition: Pick<ConnectorDefinition, 'publicKeySetting'>, settings: Record<string, unknown>): string | undefined {
  const value = definition.publicKeySetting ? settings[definition.publicKeySetting] : undefined;
  return typeof value === 'string' && value ? value : undefined;
}

/** A customer's address opted out of (or back into) our messages on a channel: STOP / START on SMS. */
export interface OptOutReport {
  address: string;
  optedOut: boolean;
}

/**
 * What one verified webhook carried. The connector returns it; the webhook bridge publishes the
 * messages and hands statuses and opt-outs to the one writer of delivery state, then answers the
 * vendor with `response`. Opt-outs are written before the answer (a STOP is honoured at once).
 */
export interface ReceivedWebhook {
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
  optOuts?: OptOutReport[];
  response: WebhookResponse;
}

export interface ChannelAccountRef {
  id: string;
  tenantId: string;
  connectorId: string;
  settings: Record<string, unknown>;
}

export interface SendResult {
  externalMessageId: string;
}

/**
 * One channel. Inbound either through webhooks (`verify` then `receive`) or by polling
 * (`start`/`stop`); outbound through `send`, which returns the vendor's id for the message.
 *
 * `receive` is not pure, and its name says so: it turns one verified request into what it carried
 * (its vendor parsing, `<id>.parse.ts`, is pure), and may read what it needs and store what
 * completes a message (an MMS picture, a Slack edit of a stored message, an OAuth install). It
 * never writes delivery state or opt-outs: it returns them in `ReceivedWebhook` for the one writer.
 */
export interface ChannelConnector {
  readonly definition: ConnectorDefinition;
  verify?(req: WebhookRequest, account: ChannelAccountRef | null): boolean | Promise<boolean>;
  receive?(req: WebhookRequest, account: ChannelAccountRef | null): ReceivedWebhook | Promise<ReceivedWebhook>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  send(message: OutboundMessage, account: ChannelAccountRef): Promise<SendResult>;
  testConnection?(account: ChannelAccountRef): Promise<{ ok: boolean; detail?: string }>;
}

export const CONNECTOR_ERROR_CODES = [
  'TEMPORARY',
  'RATE_LIMITED',
  'AUTH',
  'INVALID_RECIPIENT',
  'PERMANENT',
  'NOT_SUPPORTED',
] as const;
export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number];

/** What a failed send taught us beyond its code, for the one writer to record (as data, not a write). */
export interface ConnectorErrorFacts {
  /** The vendor's own error code (e.g. Twilio `21610`). */
  vendorCode?: string;
  /** The recipient's address opted out of the channel (Twilio 21610: the number sent STOP). */
  optedOut?: string;
}

export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    readonly facts: ConnectorErrorFacts = {},
  ) {
    super(message);
    this.name = 'ConnectorError';
  }

  get retryable(): boolean {
    return this.code === 'TEMPORARY' || this.code === 'RATE_LIMITED';
  }
}
