import { HttpStatus, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusSubjects, newId, type ApiWebhookRequest } from '@cs/contracts';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import { BUS, BusNoRespondersError, BusTimeoutError, type Bus } from '@cs/messaging';
import { Conversation } from '@cs/persistence';
import { ApiError, codeForStatus } from '../common/api-exception.filter';
import { apiConnectorAnswerSchema, apiReplySchema, type ApiMessageBody, type ApiReply } from './api-channel.schemas';

export type ApiSendResult =
  | { status: HttpStatus.OK; body: { conversationId: string; reply: ApiReply } }
  | { status: HttpStatus.ACCEPTED; body: { conversationId: string; status: 'pending' } };

/**
 * The API channel's HTTP side. The message itself is handed to the `api` connector over the bus
 * (it stores nothing here); the caller may wait for the agent's reply, which the connector
 * announces on `api.reply.<externalMessageId>`.
 */
@Injectable()
export class ApiChannelService {
  private readonly logger = new Logger(ApiChannelService.name);

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'WEBHOOK_TIMEOUT_MS'>,
  ) {}

  async send(tenantId: string, body: ApiMessageBody, waitMs: number): Promise<ApiSendResult> {
    if (body.conversationId) await this.assertConversation(tenantId, body.conversationId);
    const externalMessageId = newId();
    // Subscribed before the message leaves: a fast agent may answer before the request resolves.
    const reply = waitMs > 0 ? this.awaitReply(externalMessageId) : null;
    try {
      const conversationId = await this.forward({
        tenantId,
        externalMessageId,
        text: body.text,
        contact: body.contact,
        ...(body.conversationId ? { conversationId: body.conversationId } : {}),
      });
      const message = reply ? await reply.within(waitMs) : null;
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

  private awaitReply(externalMessageId: string): { within(ms: number): Promise<ApiReply | null>; cancel(): void } {
    let deliver: (reply: ApiReply) => void = () => undefined;
    let received: ApiReply | null = null;
    const subscription = this.bus.on(BusSubjects.apiReply(externalMessageId), (payload) => {
      const parsed = apiReplySchema.safeParse(payload);
      if (!parsed.success || received) return;
      received = parsed.data.message;
      deliver(received);
    });
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
        subscription.unsubscribe().catch((err: Error) => this.logger.warn(`reply subscription not closed: ${err.message}`));
      },
    };
  }
}
