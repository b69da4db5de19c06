import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import { BusSubjects, UnsafeInput, safeValue } from '@cs/contracts';
import { BUS, type Bus, type Subscription } from '@cs/messaging';
import { UpgradeRouter } from '../common/upgrade-router';
import { WebchatAccountsService, originAllowed } from './webchat-accounts.service';
import { WebchatFeedbackService } from './webchat-feedback.service';
import { WebchatHistoryService } from './webchat-history.service';
import { WebchatSessions, sendFrame, type ChatSocket } from './webchat-sessions';
import { clientFrameSchema, deliveryFrameSchema, feedbackClientId, sessionIdSchema, widgetKeySchema, type ServerFrame } from './webchat.protocol';

export const WEBCHAT_PATH = '/ws/chat';
const HEARTBEAT_MS = 30_000;
/** Close codes the widget treats as final (no reconnect): the key or the session is wrong. */
export const CLOSE_UNKNOWN_WIDGET = 4401;
export const CLOSE_BAD_REQUEST = 4400;
/** What the customer's click says, stored as their message so a reader of the conversation sees it. */
const FEEDBACK_TEXT = { helpful: 'Yes, this answered my question', unhelpful: 'No, this did not answer my question' };

/**
 * The web-chat socket: `ws` at /ws/chat on the gateway's UpgradeRouter. Inbound messages go to
 * the webchat connector (`webhook.webchat` request/reply); replies come back on core
 * `webchat.deliver.<sessionId>` and are fanned out to every local socket of that session (a
 * visitor may have several tabs). Any number of gateways may run: each delivers to its own sockets.
 */
@Injectable()
export class WebchatSocketService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webchat');
  private readonly sessions = new WebchatSessions();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private unroute?: () => void;
  private deliveries?: Subscription;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly upgrades: UpgradeRouter,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'WEBHOOK_TIMEOUT_MS'>,
    private readonly accounts: WebchatAccountsService,
    private readonly history: WebchatHistoryService,
    private readonly feedback: WebchatFeedbackService,
  ) {}

  onApplicationBootstrap(): void {
    // Subscribed before any socket is accepted, so no delivery can slip between the two.
    this.deliveries = this.bus.on(BusSubjects.webchatDeliverAll(), (payload, subject) => this.route(subject, payload));
    this.unroute = this.upgrades.register({ path: WEBCHAT_PATH }, this.onUpgrade);
    this.heartbeat = setInterval(() => this.sessions.heartbeat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unroute?.();
    await this.deliveries?.unsubscribe();
    this.sessions.closeAll(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Number of open sockets. */
  get openSockets(): number {
    return this.sessions.size;
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void => {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accept(ws, url, req.headers.origin).catch((err: Error) => {
        this.logger.error(`webchat connection failed: ${err.message}`, err.stack);
        this.fail(ws, 1011, 'INTERNAL', 'The chat is unavailable, try again later');
      });
    });
  };

  private async accept(ws: WebSocket, url: URL, origin: string | undefined): Promise<void> {
    const key = widgetKeySchema.safeParse(url.searchParams.get('key'));
    const session = sessionIdSchema.safeParse(url.searchParams.get('session'));
    if (!key.success || !session.success) {
      return this.fail(ws, CLOSE_BAD_REQUEST, 'BAD_REQUEST', key.success ? 'session: invalid session id' : 'key: invalid widget key');
    }
    // Frames that arrive while the key is looked up are kept, not dropped.
    const early: RawData[] = [];
    const keep = (data: RawData) => early.push(data);
    ws.on('message', keep);
    const account = await this.accounts.byWidgetKey(key.data);
    if (!account || !originAllowed(account.allowedOrigins, origin)) {
      return this.fail(ws, CLOSE_UNKNOWN_WIDGET, 'UNKNOWN_WIDGET', 'This chat widget is not enabled for this site');
    }
    const chat: ChatSocket = { ws, widgetKey: key.data, sessionId: session.data, account, origin, alive: true, queue: Promise.resolve() };
    this.sessions.add(chat);
    ws.off('message', keep);
    ws.on('message', (data) => this.enqueue(chat, data));
    ws.on('pong', () => (chat.alive = true));
    ws.on('close', () => this.sessions.remove(chat));
    ws.on('error', (err) => this.logger.warn(`webchat socket error: ${err.message}`));
    for (const data of early) this.enqueue(chat, data);
  }

  private enqueue(chat: ChatSocket, data: RawData): void {
    chat.queue = chat.queue
      .then(() => this.handle(chat, data))
      .catch((err: Error) => {
        this.logger.error(`webchat frame failed: ${err.message}`, err.stack);
        this.send(chat.ws, { type: 'error', code: 'INTERNAL', message: 'Something went wrong, try again' });
      });
  }

  private async handle(chat: ChatSocket, data: RawData): Promise<void> {
    let json: unknown;
    try {
      // The same normalisation as every HTTP body: NUL, control characters and lone surrogates never get further.
      json = safeValue(JSON.parse(data.toString()), {}, 'frame');
    } catch (err) {
      const message = err instanceof UnsafeInput ? err.message : 'Frames are JSON objects';
      return this.send(chat.ws, { type: 'error', code: 'BAD_FRAME', message });
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const clientId = (json as { clientId?: unknown })?.clientId;
      return this.send(chat.ws, {
        type: 'error',
        code: 'BAD_FRAME',
        message: `${issue.path.join('.') || 'frame'}: ${issue.message}`,
        ...(typeof clientId === 'string' ? { clientId } : {}),
      });
    }
    const frame = parsed.data;
    if (frame.type === 'ping') return this.send(chat.ws, { type: 'pong' });
    if (frame.type === 'resume') {
      for await (const page of this.history.after(chat.account.tenantId, chat.sessionId, frame.after)) {
        for (const message of page) this.send(chat.ws, { type: 'message', message });
      }
      return;
    }
    if (frame.type === 'feedback') return this.answerFeedback(chat, frame.messageId, frame.helpful);
    if (frame.type === 'rating') {
      const rated = await this.feedback.rate(chat.account.tenantId, chat.sessionId, frame.conversationId, frame.rating);
      if (!rated) return this.send(chat.ws, { type: 'error', code: 'NOT_FOUND', message: 'conversationId: not a conversation of this chat' });
      return this.send(chat.ws, { type: 'rated', conversationId: rated.conversationId, rating: rated.rating });
    }
    await this.forward(chat, frame.clientId, frame.text);
  }

  /**
   * "Did this answer your question?" goes the way Slack's "This solved it" does: a customer message
   * the agent reads (`action: 'resolved'` resolves the conversation; `not_helpful` is kept for the
   * record, unanswered). One answer per bot message: a repeat is acked and not sent again.
   */
  private async answerFeedback(chat: ChatSocket, messageId: string, helpful: boolean): Promise<void> {
    const clientId = feedbackClientId(messageId);
    const state = await this.feedback.answerState(chat.account.tenantId, chat.sessionId, messageId);
    if (state === 'not_found') return this.send(chat.ws, { type: 'error', code: 'NOT_FOUND', message: 'messageId: not an answer in this chat', clientId });
    if (state === 'already_answered') return this.send(chat.ws, { type: 'ack', clientId });
    await this.forward(chat, clientId, helpful ? FEEDBACK_TEXT.helpful : FEEDBACK_TEXT.unhelpful, { feedback: { messageId, helpful } });
  }

  private async forward(chat: ChatSocket, clientId: string, text: string, extra: Record<string, unknown> = {}): Promise<void> {
    const request = { widgetKey: chat.widgetKey, sessionId: chat.sessionId, clientId, text, ...extra, ...(chat.origin ? { origin: chat.origin } : {}) };
    let answer: { ok?: boolean; status?: number; error?: string };
    try {
      answer = (await this.bus.request(BusSubjects.webchatRequest(), request, this.config.WEBHOOK_TIMEOUT_MS)) as typeof answer;
    } catch (err) {
      this.logger.warn(`webchat message not accepted: ${(err as Error).message}`);
      return this.send(chat.ws, { type: 'error', code: 'UNAVAILABLE', message: 'The chat is busy, retrying', clientId });
    }
    if (answer?.ok) return this.send(chat.ws, { type: 'ack', clientId });
    const status = answer?.status ?? 500;
    const code = status === 400 || status === 413 ? 'REJECTED' : status === 401 || status === 403 || status === 404 ? 'FORBIDDEN' : 'UNAVAILABLE';
    this.send(chat.ws, { type: 'error', code, message: answer?.error ?? 'The message was not accepted', clientId });
  }

  private route(subject: string, payload: unknown): void {
    const sessionId = subject.slice(subject.lastIndexOf('.') + 1);
    if (!this.sessions.has(sessionId)) return;
    const frame = deliveryFrameSchema.safeParse(payload);
    if (!frame.success) {
      this.logger.warn(`dropping a malformed delivery on ${subject}: ${frame.error.issues[0]?.message}`);
      return;
    }
    this.sessions.deliver(sessionId, frame.data);
  }

  private send(ws: WebSocket, frame: ServerFrame): void {
    sendFrame(ws, frame);
  }

  private fail(ws: WebSocket, closeCode: number, code: string, message: string): void {
    this.send(ws, { type: 'error', code, message });
    ws.close(closeCode, code);
  }
}
