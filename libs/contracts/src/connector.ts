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
}

export interface ParsedWebhook {
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
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
 * One channel. Inbound either through webhooks (`verify` then `parse`, both pure) or by polling
 * (`start`/`stop`); outbound through `send`, which returns the vendor's id for the message.
 */
export interface ChannelConnector {
  readonly definition: ConnectorDefinition;
  verify?(req: WebhookRequest, account: ChannelAccountRef | null): boolean | Promise<boolean>;
  parse?(req: WebhookRequest, account: ChannelAccountRef | null): ParsedWebhook | Promise<ParsedWebhook>;
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

export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }

  get retryable(): boolean {
    return this.code === 'TEMPORARY' || this.code === 'RATE_LIMITED';
  }
}
