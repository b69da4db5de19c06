import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusSubjects, OutboundMessage, SendResult, newId } from '@cs/contracts';
import { BUS, Bus } from '@cs/messaging';
import { ChannelAccountService } from '../../registry/channel-account.service';
import { InboundPublisher } from '../../registry/inbound-publisher.service';
import { RequestConnector } from '../../registry/connector-registry.service';
import { toLiveMessage } from '../../registry/live-message';
import { apiDefinition } from './api.definition';
import { ApiReply, parseApiRequest, toInboundMessage } from './api.parse';

/**
 * The API channel, for shops with their own front end. The gateway authenticates the key and
 * answers the HTTP call; a caller waiting with `?wait=` listens on `api.reply.<externalMessageId>`.
 */
@Injectable()
export class ApiConnector implements RequestConnector {
  readonly definition = apiDefinition;
  private readonly logger = new Logger(ApiConnector.name);

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly accounts: ChannelAccountService,
    private readonly publisher: InboundPublisher,
  ) {}

  /** `webhook.api`: answers with the conversation id once the inbound message is in the stream. */
  async handleRequest(payload: unknown): Promise<ApiReply> {
    const parsed = parseApiRequest(payload);
    if (!parsed.ok) return parsed;
    const req = parsed.request;
    const account = await this.accounts.findForTenant(req.tenantId, this.definition.id);
    if (!account) return { ok: false, status: 404, error: 'the API channel is not enabled for this tenant' };

    // A new conversation gets its id here, so the caller learns it at once; the agent creates it.
    const conversationId = req.conversationId ?? newId();
    try {
      await this.publisher.publishInbound(req.tenantId, toInboundMessage(req, account.id, conversationId), {
        conversationId,
      });
    } catch (err) {
      this.logger.error(`publishing an API message failed: ${(err as Error).message}`);
      return { ok: false, status: 503, error: 'the message could not be accepted, please retry' };
    }
    return { ok: true, conversationId };
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const replyTo = message.channelData.replyToExternalMessageId;
    // Replies without a waiting caller (a person answering later) are read back through the REST API.
    if (replyTo) {
      this.bus.emit(BusSubjects.apiReply(replyTo), { message: toLiveMessage(message) });
    }
    return { externalMessageId: message.messageId };
  }
}
