import type { ConnectorCapabilities, WebhookRequest } from './connector';
import type { AuthorKind, Channel, ConversationEvent, MessagePart, ReplyOutcome } from './messages';

/*
 * What travels on the bus besides the durable messages of messages.ts: the live (core) events, the
 * request/reply bodies between the gateway and the connectors, and the media-stream frames. Each is
 * named by one entry of `BusMap` (subjects.ts); the shapes are what the producers send today.
 */

/**
 * Core `conv.message.<tenantId>` and `conv.staff.<tenantId>`: a conversation event for the live
 * inboxes. The console sends the conversation row's channel, a plain text column.
 */
export type LiveConversationEvent = Omit<ConversationEvent, 'channel'> & { channel: string };

/** Core `conv.typing.<tenantId>`: the agent is working on an answer (the widget's dots, Slack's 👀). */
export interface LiveTyping {
  conversationId: string;
  channel: Channel;
  externalThreadId?: string;
  /** The message being answered: Slack marks exactly that one. */
  externalMessageId?: string;
  channelAccountId?: string;
  connectorId?: string;
}

/** How a reply looks to a live client (the widget socket, an API caller waiting with `?wait=`). */
export interface LiveMessage {
  id: string;
  conversationId: string;
  direction: 'out';
  authorKind: AuthorKind;
  authorName?: string;
  text: string;
  parts: MessagePart[];
  createdAt: string;
  /** An agent's reply: answered or handed off, and why as a code (messages.ts). */
  outcome?: ReplyOutcome;
}

/** Core `webchat.deliver.<sessionId>`: exactly the frames the gateway hands to the widget's sockets. */
export type WebchatDelivery =
  | { type: 'message'; message: LiveMessage }
  | { type: 'typing'; conversationId: string }
  | { type: 'delta'; conversationId: string; replyToMessageId: string; index: number; delta: string };

/** Core `api.reply.<externalMessageId>`: the reply an API caller waiting with `?wait=` gets. */
export interface ApiReplyEvent {
  message: LiveMessage;
}

/** Request `webhook.<connectorId>`: one public HTTP request as the gateway received it. */
export type BridgedWebhookRequest = WebhookRequest & { connectorId: string; channelAccountId?: string };

/** Request `webhook.webchat`: one message typed into the widget (or its "did this help?" answer, or a file it sent). */
export interface WebchatWebhookRequest {
  widgetKey: string;
  sessionId: string;
  clientId: string;
  /** Empty only when `attachment` is set. */
  text: string;
  /** A file the customer sent, already in object storage (the gateway stored it). */
  attachment?: { id: string; name: string | null; mimeType: string; size: number };
  displayName?: string;
  origin?: string;
  feedback?: { messageId: string; helpful: boolean };
}
export type WebchatWebhookAnswer = { ok: true; tenantId: string } | { ok: false; status: number; error: string };

/** Request `webhook.api`: one message of the API channel, the key and body already checked by the gateway. */
export interface ApiWebhookRequest {
  tenantId: string;
  externalMessageId: string;
  text: string;
  contact: { externalId: string; name?: string; email?: string };
  conversationId?: string;
}
export type ApiWebhookAnswer = { ok: true; conversationId: string } | { ok: false; status: number; error: string };

/** Request `stream.<connectorId>.open`: a vendor's media WebSocket reached the gateway. */
export interface MediaStreamOpenRequest {
  streamId: string;
  channelAccountId: string;
  /** The URL as the vendor opened it (its handshake signature covers it). */
  url: string;
  headers: Record<string, string>;
}
export type MediaStreamOpenReply = { ok: true } | { ok: false; status: number; error: string };

/** Core `stream.<connectorId>.<streamId>.in`: a vendor frame as the gateway read it off the socket (the connector validates it). */
export type MediaStreamInboundFrame = { event?: string; [field: string]: unknown };

/** Core `stream.<connectorId>.<streamId>.out`: a frame for the gateway to send to the vendor. */
export type MediaStreamOutboundFrame =
  | { event: 'media'; streamSid: string; media: { payload: string } }
  | { event: 'mark'; streamSid: string; mark: { name: string } }
  | { event: 'clear'; streamSid: string }
  /** Not the vendor's: asks the gateway to close the WebSocket (the call was transferred or ended). */
  | { event: 'close' };

/** Core `stream.<connectorId>.<streamId>.offer`: connector-internal, the answer just spoken offered to text this link. */
export interface MediaStreamOffer {
  url: string;
}

/** Reply of `connectors.definitions`: what the admin console needs to render a connector's settings form. */
export interface ConnectorDescription {
  id: string;
  channel: Channel;
  displayName: string;
  capabilities: ConnectorCapabilities;
  /** JSON Schema of the per-tenant settings: `title`, `description` and `secret: true` on fields. */
  settingsSchema: Record<string, unknown>;
  inbound: 'webhook' | 'request' | 'polling' | 'none';
}

/** Request `connectors.settings.prepare`: validate a channel account's settings and seal its secrets. */
export interface ConnectorSettingsPrepareRequest {
  connectorId: string;
  settings: Record<string, unknown>;
}
export type ConnectorSettingsPrepareReply =
  | { ok: true; settings: Record<string, unknown>; secretsEncrypted: string | null }
  | { ok: false; status: number; error: string };

/** Request `connectors.account.test`: the console's "test connection" button. */
export interface ConnectionTestRequest {
  tenantId: string;
  channelAccountId: string;
}
export interface ConnectionTestReply {
  ok: boolean;
  detail?: string;
}

/**
 * Request `agent.action.decide`: a person approved or rejected an action the agent parked for
 * approval (an `action_calls` row `awaiting_approval`). The agent runs it (once) or drops it, and
 * tells the customer on their channel.
 */
export interface ActionDecisionRequest {
  tenantId: string;
  callId: string;
  decision: 'approve' | 'reject';
  /** The user who decided. */
  decidedBy: string;
  note?: string;
}

/**
 * Reply of `agent.action.decide`: the call's status after the decision (`done`, `failed`,
 * `started` = outcome unknown, `rejected`), or why it was not decided (404 unknown, 409 already decided).
 */
export type ActionDecisionReply = { ok: true; status: string; result: Record<string, unknown> | null; customerTold: boolean } | { ok: false; status: number; error: string };

/**
 * Request `agent.shop.install`: staff start connecting a Shopify store by OAuth with their app's
 * client id and secret; the reply is where to send the merchant to approve the app.
 */
export interface ShopInstallRequest {
  tenantId: string;
  shopDomain: string;
  clientId: string;
  clientSecret: string;
  /** The public origin Shopify sends the merchant back to (`<origin>/hooks/shopify/<account>/oauth`). */
  publicUrl: string;
  /** Where Shopify is reached instead of https://<shop> (a proxy, a test server). */
  apiBaseUrl?: string;
}
export type ShopInstallReply = { ok: true; accountId: string; authorizeUrl: string } | { ok: false; status: number; error: string };

/** Request `agent.try`: the console's "try it", one question through the agent's real turn. */
export interface AgentTryRequest {
  tenantId: string;
  question: string;
  /** The channel the customer would write on (its reply length and wording); `webchat` when unset. */
  channel?: Channel;
}

/** One passage the turn's retrieval weighed, as the console shows it. */
export interface AgentTryPassage {
  chunkId: string;
  articleId: string;
  title: string;
  heading?: string;
  url?: string | null;
  content: string;
  score: number;
}

/**
 * Reply of `agent.try`: what the customer would get (`outcome`, `answer`, `parts`; null when the
 * agent would stay silent) and why (`trace`, the same one a real reply stores; the retrieval's
 * threshold and passages when it ran). Nothing was stored, sent, or done on the shop.
 */
export type AgentTryReply =
  | {
      ok: true;
      outcome: ReplyOutcome | null;
      answer: string | null;
      parts: MessagePart[];
      trace: Record<string, unknown> | null;
      retrieval: { threshold: number; passages: AgentTryPassage[]; rejected: AgentTryPassage[] } | null;
    }
  | { ok: false; status: number; error: string };
