import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BusSubjects, OutboundMessage, SendResult, conversationEventSchema, liveDeltaSchema } from '@cs/contracts';
import { BUS, Bus, Subscription } from '@cs/messaging';
import { ChannelAccountService } from '../../registry/channel-account.service';
import { InboundPublisher } from '../../registry/inbound-publisher.service';
import { RequestConnector } from '../../registry/connector-registry.service';
import { toLiveMessage } from '../../registry/live-message';
import { webchatDefinition } from './webchat.definition';
import { WebchatReply, isOriginAllowed, parseWebchatRequest, toInboundMessage, widgetKeyOf } from './webchat.parse';

/**
 * The web chat widget. The gateway holds the visitor's WebSocket; this side turns a typed message
 * into an inbound bus message, and a reply (or "agent is typing") into a live push on
 * `webchat.deliver.<sessionId>`, which reaches whichever gateway holds that socket.
 */
@Injectable()
export class WebchatConnector implements RequestConnector, OnModuleInit, OnModuleDestroy {
  readonly definition = webchatDefinition;
  private readonly logger = new Logger(WebchatConnector.name);
  private typing?: Subscription;
  private deltas?: Subscription;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly accounts: ChannelAccountService,
    private readonly publisher: InboundPublisher,
  ) {}

  /** `webhook.webchat`: answers only once the inbound message is stored in the stream. */
  async handleRequest(payload: unknown): Promise<WebchatReply> {
    const widgetKey = widgetKeyOf(payload);
    const account = widgetKey ? await this.accounts.findByPublicKey(this.definition.id, widgetKey) : null;
    if (!account) return { ok: false, status: 401, error: 'unknown widget key' };
    if (account.status !== 'active') return { ok: false, status: 403, error: 'this chat widget is disabled' };

    const parsed = parseWebchatRequest(payload);
    if (!parsed.ok) return parsed;
    const allowed = account.settings?.allowedOrigins as string[] | undefined;
    if (!isOriginAllowed(allowed, parsed.request.origin)) {
      return { ok: false, status: 403, error: 'origin: this site may not embed the widget' };
    }

    try {
      await this.publisher.publishInbound(account.tenantId, toInboundMessage(parsed.request, account.id));
    } catch (err) {
      this.logger.error(`publishing a web chat message failed: ${(err as Error).message}`);
      return { ok: false, status: 503, error: 'the message could not be accepted, please retry' };
    }
    return { ok: true, tenantId: account.tenantId };
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const sessionId = message.target.externalThreadId ?? message.target.externalUserId;
    this.bus.emit(BusSubjects.webchatDeliver(sessionId), { type: 'message', message: toLiveMessage(message) });
    return { externalMessageId: message.messageId };
  }

  onModuleInit(): void {
    // A queue group: with several connector processes, one of them relays each typing event.
    this.typing = this.bus.on(BusSubjects.convTypingAll(), (payload) => this.relayTyping(payload), 'connectors-webchat-typing');
    this.deltas = this.bus.on(BusSubjects.convDeltaAll(), (payload) => this.relayDelta(payload), 'connectors-webchat-delta');
  }

  async onModuleDestroy(): Promise<void> {
    await this.typing?.unsubscribe().catch(() => undefined);
    await this.deltas?.unsubscribe().catch(() => undefined);
  }

  /**
   * A streamed answer's text as it is generated, shown as a draft: the checks run only on the whole
   * answer, so the stored reply (or a hand-off) replaces the draft when it arrives.
   */
  private relayDelta(payload: unknown): void {
    const event = liveDeltaSchema.safeParse(payload);
    if (!event.success || event.data.channel !== 'webchat' || !event.data.externalThreadId) return;
    const { conversationId, replyToMessageId, index, delta } = event.data;
    this.bus.emit(BusSubjects.webchatDeliver(event.data.externalThreadId), { type: 'delta', conversationId, replyToMessageId, index, delta });
  }

  private relayTyping(payload: unknown): void {
    // The agent may emit a bare ConversationEvent or one wrapped in an envelope.
    const raw = payload && typeof payload === 'object' && 'data' in payload ? (payload as { data: unknown }).data : payload;
    const event = conversationEventSchema.safeParse(raw);
    if (!event.success || event.data.channel !== 'webchat' || !event.data.externalThreadId) return;
    this.bus.emit(BusSubjects.webchatDeliver(event.data.externalThreadId), {
      type: 'typing',
      conversationId: event.data.conversationId,
    });
  }
}
