import type {
  ShopInstallReply,
  ShopInstallRequest,
  ActionDecisionReply,
  ActionDecisionRequest,
  AgentTryReply,
  AgentTryRequest,
  ApiReplyEvent,
  ApiWebhookAnswer,
  ApiWebhookRequest,
  BridgedWebhookRequest,
  ConnectionTestReply,
  ConnectionTestRequest,
  ConnectorDescription,
  ConnectorSettingsPrepareReply,
  ConnectorSettingsPrepareRequest,
  LiveConversationEvent,
  LiveTyping,
  MediaStreamInboundFrame,
  MediaStreamOffer,
  MediaStreamOpenReply,
  MediaStreamOpenRequest,
  MediaStreamOutboundFrame,
  WebchatDelivery,
  WebchatWebhookAnswer,
  WebchatWebhookRequest,
} from './bus-payloads';
import type { WebhookResponse } from './connector';
import type { ConversationEvent, DeliveryStatus, InboundMessage, LiveDelta, OutboundMessage } from './messages';
import type { LearningEvent, LearningEventName } from './learning-events';
import { LEARNING_EVENTS } from './learning-events';

/**
 * Bus subjects. The first token is a prefix (default `cs`) so that several deployments, or several
 * test runs, can share one NATS server without seeing each other's traffic.
 */
export type SubjectPrefix = string;

export const STREAM_MSG = 'CS_MSG';
export const STREAM_EVENTS = 'CS_EVENTS';

/*
 * The typed bus map, in the manner of Immich's event map: one interface from subject name to what
 * travels on it, and builders that are the only way to make a subject. A subject carries its map
 * entry in its type, so `bus.publish(BusSubjects.msgOut(channel, tenantId), envelope)` only
 * compiles with an `Envelope<OutboundMessage>`, and a handler of `BusSubjects.msgInAll()` receives
 * `BusMessage<InboundMessage>`. Subjects are relative to the bus prefix (the bus adds `cs.`).
 */

/** Stored in a JetStream stream (`publish`/`consume`): the envelope's `data` is T. */
export interface Durable<T> {
  readonly mode: 'durable';
  readonly data: T;
}
/** Core, fire and forget (`emit`/`on`): the payload is T, no envelope. */
export interface Live<T> {
  readonly mode: 'live';
  readonly payload: T;
}
/** Core request/reply (`request`/`reply`). */
export interface RequestReply<Req, Res> {
  readonly mode: 'request';
  readonly request: Req;
  readonly response: Res;
}
export type BusEntry = Durable<unknown> | Live<unknown> | RequestReply<unknown, unknown>;

/** The durable conversation events; see DURABLE_CONVERSATION_EVENTS below. */
export type DurableConversationEvent = (typeof DURABLE_CONVERSATION_EVENTS)[number];

/** Every subject of the product, by name. A wildcard subscription belongs to the entry it reads. */
export interface BusMap {
  /** `msg.in.<channel>.<tenantId>`: a customer message, from a connector to the agent. */
  'msg.in': Durable<InboundMessage>;
  /** `msg.out.<channel>.<tenantId>`: a reply (the agent's or a person's) for the channel's connector. */
  'msg.out': Durable<OutboundMessage>;
  /** `msg.status.<channel>.<tenantId>`: what a vendor said about a delivery. */
  'msg.status': Durable<DeliveryStatus>;
  /** `conv.<event>.<tenantId>` for the durable events (handoff, assigned, resolved, ...): analytics, outbound webhooks. */
  'conv.event': Durable<ConversationEvent>;
  /** `learn.<event>.<tenantId>`: the learning loop (gaps, suggested articles), for outbound webhooks. */
  'learn.event': Durable<LearningEvent>;
  /** `dlq.<original subject>`: a durable message that failed too often, its envelope unchanged. */
  dlq: Durable<unknown>;
  /** `conv.message.<tenantId>`: a message was stored in a conversation (live inboxes). */
  'conv.message': Live<LiveConversationEvent>;
  /** `conv.staff.<tenantId>`: a staff action, `detail.event` naming it (live inboxes). */
  'conv.staff': Live<LiveConversationEvent>;
  /** `conv.typing.<tenantId>`: the agent is working on an answer. */
  'conv.typing': Live<LiveTyping>;
  /** `conv.delta.<tenantId>`: a piece of a streamed answer, before its checks. */
  'conv.delta': Live<LiveDelta>;
  /** `webchat.deliver.<sessionId>`: a frame for the widget sockets of one session, on whichever gateway holds them. */
  'webchat.deliver': Live<WebchatDelivery>;
  /** `api.reply.<externalMessageId>`: the reply an API caller is waiting for. */
  'api.reply': Live<ApiReplyEvent>;
  /** `stream.<connectorId>.<streamId>.in`: a vendor media frame, gateway → connector. */
  'stream.in': Live<MediaStreamInboundFrame>;
  /** `stream.<connectorId>.<streamId>.out`: a media frame, connector → gateway → vendor. */
  'stream.out': Live<MediaStreamOutboundFrame>;
  /** `stream.<connectorId>.<streamId>.offer`: connector-internal, a link to text the caller. */
  'stream.offer': Live<MediaStreamOffer>;
  /** `stream.<connectorId>.open`: may the gateway accept this media WebSocket? */
  'stream.open': RequestReply<MediaStreamOpenRequest, MediaStreamOpenReply>;
  /** `webhook.<connectorId>`: a vendor's HTTP request and the connector's HTTP answer. */
  webhook: RequestReply<BridgedWebhookRequest, WebhookResponse>;
  /** `webhook.webchat`: a message typed into the widget. */
  'webhook.webchat': RequestReply<WebchatWebhookRequest, WebchatWebhookAnswer>;
  /** `webhook.api`: a message of the API channel. */
  'webhook.api': RequestReply<ApiWebhookRequest, ApiWebhookAnswer>;
  /**
   * `webhook.<connectorId>` as a request connector (webchat, api) answers it: the connectors app
   * binds every such connector the same way and each validates its own body; requesters use the
   * connector's own entry above.
   */
  'webhook.request': RequestReply<unknown, unknown>;
  /** `connectors.definitions`: the connector forms for the admin console. */
  'connectors.definitions': RequestReply<Record<string, never>, ConnectorDescription[]>;
  /** `connectors.settings.prepare`: validate and seal a channel account's settings. */
  'connectors.settings.prepare': RequestReply<ConnectorSettingsPrepareRequest, ConnectorSettingsPrepareReply>;
  /** `connectors.account.test`: the "test connection" button. */
  'connectors.account.test': RequestReply<ConnectionTestRequest, ConnectionTestReply>;
  /** `agent.try`: the console's "try it", answered by an agent running the real turn with nothing stored or sent. */
  'agent.try': RequestReply<AgentTryRequest, AgentTryReply>;
  /** `agent.action.decide`: a person's approval or rejection of a parked action, carried out by an agent. */
  'agent.action.decide': RequestReply<ActionDecisionRequest, ActionDecisionReply>;
  /** `agent.shop.install`: the start of a Shopify OAuth install, answered with the authorize URL. */
  'agent.shop.install': RequestReply<ShopInstallRequest, ShopInstallReply>;
}

declare const entryOf: unique symbol;
declare const concrete: unique symbol;

/** A subscription pattern (it may hold `*` or `>`) of map entry E: what consume/on/reply take. */
export type BusPattern<E extends BusEntry> = string & { readonly [entryOf]: E };
/** One concrete subject of map entry E: what publish/emit/request take. A subject is also a pattern. */
export type BusSubject<E extends BusEntry> = BusPattern<E> & { readonly [concrete]: true };

function subject<K extends keyof BusMap>(raw: string): BusSubject<BusMap[K]> {
  return raw as BusSubject<BusMap[K]>;
}
function pattern<K extends keyof BusMap>(raw: string): BusPattern<BusMap[K]> {
  return raw as BusPattern<BusMap[K]>;
}

/**
 * The only makers of bus subjects. Channels are the `CHANNELS` names; tokens (tenant, session,
 * stream ids) must hold no `.`, `*`, `>` or space.
 */
export const BusSubjects = {
  msgIn: (channel: string, tenantId: string) => subject<'msg.in'>(`msg.in.${channel}.${tenantId}`),
  msgInAll: () => pattern<'msg.in'>('msg.in.>'),
  msgInChannel: (channel: string) => pattern<'msg.in'>(`msg.in.${channel}.>`),
  msgOut: (channel: string, tenantId: string) => subject<'msg.out'>(`msg.out.${channel}.${tenantId}`),
  msgOutAll: () => pattern<'msg.out'>('msg.out.>'),
  /** One connector's consumer: every tenant of its channel. */
  msgOutChannel: (channel: string) => pattern<'msg.out'>(`msg.out.${channel}.*`),
  msgStatus: (channel: string, tenantId: string) => subject<'msg.status'>(`msg.status.${channel}.${tenantId}`),
  msgStatusAll: () => pattern<'msg.status'>('msg.status.>'),
  msgStatusChannel: (channel: string) => pattern<'msg.status'>(`msg.status.${channel}.>`),
  convEvent: (event: DurableConversationEvent, tenantId: string) => subject<'conv.event'>(`conv.${event}.${tenantId}`),
  /** One durable event, every tenant. */
  convEventAll: (event: DurableConversationEvent) => pattern<'conv.event'>(`conv.${event}.*`),
  /** Every durable conversation event: as a durable filter, `conv.>` reads only what CS_EVENTS stores. */
  convEvents: () => pattern<'conv.event'>('conv.>'),
  learnEvent: (event: LearningEventName, tenantId: string) => subject<'learn.event'>(`learn.${event}.${tenantId}`),
  /** Every learning event, every tenant. */
  learnEvents: () => pattern<'learn.event'>('learn.>'),
  convMessage: (tenantId: string) => subject<'conv.message'>(`conv.message.${tenantId}`),
  /** Every tenant's stored messages: the gateway's notifications (one queue group across processes). */
  convMessageAll: () => pattern<'conv.message'>('conv.message.*'),
  convStaff: (tenantId: string) => subject<'conv.staff'>(`conv.staff.${tenantId}`),
  convTyping: (tenantId: string) => subject<'conv.typing'>(`conv.typing.${tenantId}`),
  convTypingAll: () => pattern<'conv.typing'>('conv.typing.*'),
  convDelta: (tenantId: string) => subject<'conv.delta'>(`conv.delta.${tenantId}`),
  convDeltaAll: () => pattern<'conv.delta'>('conv.delta.*'),
  webchatDeliver: (sessionId: string) => subject<'webchat.deliver'>(`webchat.deliver.${sessionId}`),
  webchatDeliverAll: () => pattern<'webchat.deliver'>('webchat.deliver.*'),
  apiReply: (externalMessageId: string) => subject<'api.reply'>(`api.reply.${externalMessageId}`),
  /** Every API reply: one subscription per gateway, which routes each to the request waiting for it. */
  apiReplyAll: () => pattern<'api.reply'>('api.reply.>'),
  webhook: (connectorId: string) => subject<'webhook'>(`webhook.${connectorId}`),
  webchatRequest: () => subject<'webhook.webchat'>('webhook.webchat'),
  apiRequest: () => subject<'webhook.api'>('webhook.api'),
  /** The same subject as `webhook(connectorId)`, for the connectors app to answer as a request connector. */
  connectorRequest: (connectorId: string) => subject<'webhook.request'>(`webhook.${connectorId}`),
  streamOpen: (connectorId: string) => subject<'stream.open'>(`stream.${connectorId}.open`),
  streamIn: (connectorId: string, streamId: string) => subject<'stream.in'>(`stream.${connectorId}.${streamId}.in`),
  streamOut: (connectorId: string, streamId: string) => subject<'stream.out'>(`stream.${connectorId}.${streamId}.out`),
  streamOffer: (connectorId: string, streamId: string) => subject<'stream.offer'>(`stream.${connectorId}.${streamId}.offer`),
  connectorDefinitions: () => subject<'connectors.definitions'>('connectors.definitions'),
  connectorSettingsPrepare: () => subject<'connectors.settings.prepare'>('connectors.settings.prepare'),
  connectorAccountTest: () => subject<'connectors.account.test'>('connectors.account.test'),
  agentTry: () => subject<'agent.try'>('agent.try'),
  agentActionDecide: () => subject<'agent.action.decide'>('agent.action.decide'),
  agentShopInstall: () => subject<'agent.shop.install'>('agent.shop.install'),
  /** Where a durable message goes once it has failed too often: `msg.in.webchat.t1` -> `dlq.msg.in.webchat.t1`. */
  deadLetter: (original: string) => subject<'dlq'>(`dlq.${original}`),
  /** Every dead letter (the console's record of them). */
  deadLetterAll: () => pattern<'dlq'>('dlq.>'),
  /**
   * A dead letter's original subject, read back from where it was recorded, to publish its envelope
   * there again (a replay). Only a concrete durable subject of the map passes.
   */
  replayTarget: (original: string): BusSubject<Durable<unknown>> => {
    if (!isDurableSubject(original)) throw new Error(`${original} is not a durable subject of the bus map`);
    return original as BusSubject<Durable<unknown>>;
  },
};

const TOKEN = '[^.*> ]+';

/** `msg.<in|out|status>.<channel>.<tenant>`, `conv.<durable event>.<tenant>` or `learn.<event>.<tenant>`. */
function isDurableSubject(raw: string): boolean {
  const events = DURABLE_CONVERSATION_EVENTS.join('|');
  const learning = LEARNING_EVENTS.join('|');
  return new RegExp(`^(msg\\.(in|out|status)\\.${TOKEN}\\.${TOKEN}|conv\\.(${events})\\.${TOKEN}|learn\\.(${learning})\\.${TOKEN})$`).test(raw);
}

/**
 * The durable conversation events (`conv.<event>.<tenantId>`, stream CS_EVENTS). The live ones
 * (`conv.message`, `conv.typing`, `conv.staff`: core emits for open inboxes and widgets) must stay
 * out of the stream: captured, every emit became a stored JetStream message that durable `conv.>`
 * consumers received (and dead-lettered) in the distributed mode only. A new durable event is
 * added here; publishing one that is not listed fails loudly ("no durable stream captures").
 */
export const DURABLE_CONVERSATION_EVENTS = ['handoff', 'assigned', 'resolved', 'reopened', 'handed_back', 'csat', 'sla_breached', 'closed'] as const;

/** Subjects captured by the durable streams. */
export function streamSubjects(p: SubjectPrefix): Record<string, string[]> {
  return {
    [streamName(p, STREAM_MSG)]: [`${p}.msg.>`, `${p}.dlq.>`],
    [streamName(p, STREAM_EVENTS)]: [...DURABLE_CONVERSATION_EVENTS.map((event) => `${p}.conv.${event}.>`), `${p}.learn.>`],
  };
}

export function streamName(p: SubjectPrefix, base: string): string {
  return p === 'cs' ? base : `${p.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_${base}`;
}

/** Strip the prefix and split: `cs.msg.in.webchat.t1` -> ['msg','in','webchat','t1']. */
export function subjectTokens(p: SubjectPrefix, subject: string): string[] {
  return subject.slice(p.length + 1).split('.');
}
