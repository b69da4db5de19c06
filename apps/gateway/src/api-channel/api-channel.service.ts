import { createHash } from 'crypto';
import { HttpStatus, Inject, Injectable, NotFoundException, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusSubjects, clientMessageExternalId, newId, replyOutcomeOf, type ApiWebhookRequest } from '@cs/contracts';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import { BUS, BusNoRespondersError, BusTimeoutError, type Bus, type Subscription } from '@cs/messaging';
import { Conversation } from '@cs/persistence';
import { ApiError, codeForStatus } from '../common/api-exception.filter';
import { apiConnectorAnswerSchema, apiReplySchema, type ApiMessageBody, type ApiReply } from './api-channel.schemas';

/** `api.reply.`: what precedes the external message id in a reply's subject. */
const API_REPLY_PREFIX = BusSubjects.apiReply('').toString();

export type ApiSendResult =
  | { status: HttpStatus.OK; body: { conversationId: string; reply: ApiReply } }
  | { status: HttpStatus.ACCEPTED; body: { conversationId: string; status: 'pending' } };

/**
 * The API channel's HTTP side. The message itself is handed to the `api` connector over the bus
 * (it stores nothing here); the caller may wait for the agent's reply, which the connector
 * announces on `api.reply.<externalMessageId>`.
 *
 * A client key (`Idempotency-Key` / `clientMessageId`) makes a retry safe with no state of its own
 * here, so any gateway may take the retry, while the first request is in flight or long after: the
 * key, within the tenant, becomes the message's externalMessageId (deduped by the bus and by the
 * messages' unique index, like the widget's clientId), a new conversation's id is derived from it
 * (so the retry names the same one), and a reply already stored is read back.
 *
 * Each gateway listens to every reply through one subscription (`api.reply.>`) and routes it to
 * the request waiting for it, if any: a subscription per request cost two more protocol
 * operations per message, and the server a change of interest each time.
 */
@Injectable()
export class ApiChannelService implements OnApplicationBootstrap, OnModuleDestroy {
  /** Requests waiting for a reply, by external message id (a retry may wait beside the first request). */
  private readonly waiting = new Map<string, Set<(reply: ApiReply) => void>>();
  private replies?: Subscription;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'WEBHOOK_TIMEOUT_MS'>,
  ) {}

  onApplicationBootstrap(): void {
    // Subscribed before the first request is accepted, so no reply can slip past it.
    this.replies = this.bus.on(BusSubjects.apiReplyAll(), (payload, subject) => {
      const parsed = apiReplySchema.safeParse(payload);
      if (!parsed.success) return;
      for (const waiter of this.waiting.get(subject.slice(API_REPLY_PREFIX.length)) ?? []) waiter(parsed.data.message);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.replies?.unsubscribe();
  }

  async send(tenantId: string, body: ApiMessageBody, waitMs: number, clientKey?: string): Promise<ApiSendResult> {
    if (body.conversationId) await this.assertConversation(tenantId, body.conversationId);
    const externalMessageId = clientKey ? clientMessageExternalId(tenantId, clientKey) : newId();
    const assignedConversationId = body.conversationId ?? (clientKey ? conversationIdForKey(tenantId, clientKey) : undefined);
    // Subscribed before the message leaves: a fast agent may answer before the request resolves.
    const reply = waitMs > 0 ? this.awaitReply(externalMessageId) : null;
    try {
      const conversationId = await this.forward({
        tenantId,
        externalMessageId,
        text: body.text,
        contact: body.contact,
        ...(assignedConversationId ? { conversationId: assignedConversationId } : {}),
      });
      // A retry: the first request's reply may be stored already, announced before we listened.
      const stored = reply && clientKey ? await this.storedReply(tenantId, externalMessageId) : null;
      const message = stored ?? (reply ? await reply.within(waitMs) : null);
      if (message) return { status: HttpStatus.OK, body: { conversationId, reply: message } };
      return { status: HttpStatus.ACCEPTED, body: { conversationId, status: 'pending' } };
    } finally {
      reply?.cancel();
    }
  }

  private async assertConversation(tenantId: string, conversationId: string): Promise<void> {
    const found = await this.dataSource
      .getRepository(Conversation)
      .exists({ where: { id: conversationId, tenantId } });
    if (!found) throw new NotFoundException(`conversationId: no conversation ${conversationId}`);
  }

  /** The first reply to an API message already stored, if any (what a retry after a dropped connection missed). */
  private async storedReply(tenantId: string, externalMessageId: string): Promise<ApiReply | null> {
    const rows: { id: string; text: string; parts: unknown[]; author_kind: string; created_at: Date; trace: Record<string, unknown> | null }[] = await this.dataSource.query(
      `SELECT r.id, r.text, r.parts, r.author_kind, r.created_at, r.trace
         FROM messages i JOIN messages r ON r.tenant_id = i.tenant_id AND r.reply_to_message_id = i.id
        WHERE i.tenant_id = $1 AND i.connector_id = 'api' AND i.external_message_id = $2 AND i.direction = 'in'
          AND r.direction = 'out' AND NOT r.private
        ORDER BY r.id LIMIT 1`,
      [tenantId, externalMessageId],
    );
    const row = rows[0];
    if (!row) return null;
    const parsed = apiReplySchema.safeParse({
      message: {
        id: row.id,
        text: row.text,
        parts: row.parts,
        authorKind: row.author_kind,
        createdAt: new Date(row.created_at).toISOString(),
        outcome: row.author_kind === 'bot' ? replyOutcomeOf(row.trace) : undefined,
      },
    });
    return parsed.success ? parsed.data.message : null;
  }

  private async forward(request: ApiWebhookRequest): Promise<string> {
    let raw: unknown;
    try {
      raw = await this.bus.request(BusSubjects.apiRequest(), request, this.config.WEBHOOK_TIMEOUT_MS);
    } catch (err) {
      if (err instanceof BusNoRespondersError) throw new ApiError(503, 'UNAVAILABLE', 'The API channel is not running');
      if (err instanceof BusTimeoutError) throw new ApiError(503, 'UNAVAILABLE', 'The API channel did not answer in time');
      throw err;
    }
    const answer = apiConnectorAnswerSchema.parse(raw);
    if (answer.ok) return answer.conversationId;
    const status = answer.status && answer.status >= 400 && answer.status <= 599 ? answer.status : 502;
    throw new ApiError(status, codeForStatus(status), answer.error ?? 'The API channel refused the message');
  }

  /** The first reply announced for `externalMessageId` from now on, within `ms` (null after that). */
  private awaitReply(externalMessageId: string): { within(ms: number): Promise<ApiReply | null>; cancel(): void } {
    let deliver: (reply: ApiReply) => void = () => undefined;
    let received: ApiReply | null = null;
    const waiter = (reply: ApiReply) => {
      if (received) return;
      received = reply;
      deliver(reply);
    };
    const waiters = this.waiting.get(externalMessageId) ?? new Set();
    this.waiting.set(externalMessageId, waiters.add(waiter));
    return {
      within: (ms) =>
        received
          ? Promise.resolve(received)
          : new Promise<ApiReply | null>((resolve) => {
              const timer = setTimeout(() => resolve(null), ms);
              deliver = (reply) => {
                clearTimeout(timer);
                resolve(reply);
              };
            }),
      cancel: () => {
        waiters.delete(waiter);
        if (waiters.size === 0 && this.waiting.get(externalMessageId) === waiters) this.waiting.delete(externalMessageId);
      },
    };
  }

}

/**
 * The id of the conversation a keyed message without `conversationId` starts: a name-based UUID
 * (RFC 9562 version 8) of the tenant and the key, so a retry names the same conversation without
 * anything remembered between the two requests.
 */
export function conversationIdForKey(tenantId: string, clientKey: string): string {
  const bytes = createHash('sha256').update(`api-conversation:${tenantId}:${clientKey}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
