import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { z } from 'zod';
import {
  BusSubjects,
  ChannelAccountRef,
  ChannelConnector,
  ValidationFailed,
  WebhookResponse,
  describeZodError,
  newId,
  webhookRequestSchema,
} from '@cs/contracts';
import { BUS, Bus, Subscription } from '@cs/messaging';
import { errorsTotal } from '@cs/config';
import { ChannelAccountService } from '../registry/channel-account.service';
import { ConnectorRegistry, isRequestConnector } from '../registry/connector-registry.service';
import { InboundPublisher } from '../registry/inbound-publisher.service';
import { DeliveryRecorder } from '../outbound/delivery-recorder.service';

/** `/hooks/:connectorId/:channelAccountId?...` as the gateway forwards it on `webhook.<connectorId>`. */
export const bridgedWebhookSchema = webhookRequestSchema.extend({
  connectorId: z.string().min(1),
  channelAccountId: z.string().uuid().optional(),
});

/**
 * Answers `webhook.<connectorId>` for every connector: request connectors (webchat, api) with their
 * own handler, webhook connectors with verify → receive → publish the messages and hand statuses
 * and opt-outs to DeliveryRecorder, the one writer of delivery state. One exact subject per connector,
 * not a `webhook.*` wildcard, so a request never lands on the wrong handler of the queue group, and
 * a new connector needs no route of its own.
 */
@Injectable()
export class WebhookBridge implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookBridge.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: ConnectorRegistry,
    private readonly accounts: ChannelAccountService,
    private readonly publisher: InboundPublisher,
    private readonly recorder: DeliveryRecorder,
  ) {}

  onApplicationBootstrap(): void {
    for (const connector of this.registry.all()) {
      const id = connector.definition.id;
      if (isRequestConnector(connector)) {
        this.subscriptions.push(this.bus.reply(BusSubjects.connectorRequest(id), (payload) => connector.handleRequest(payload), 'connectors'));
      } else if (connector.receive) {
        this.subscriptions.push(this.bus.reply(BusSubjects.webhook(id), (payload) => this.handleWebhook(connector, payload), 'connectors'));
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.unsubscribe().catch(() => undefined)));
  }

  async handleWebhook(connector: ChannelConnector, payload: unknown): Promise<WebhookResponse> {
    const parsedPayload = bridgedWebhookSchema.safeParse(payload);
    if (!parsedPayload.success) return text(400, describeZodError(parsedPayload.error));
    const { connectorId, channelAccountId, ...request } = parsedPayload.data;
    const errorId = newId();
    try {
      let ref: ChannelAccountRef | null = null;
      if (channelAccountId) {
        const account = await this.accounts.findById(channelAccountId);
        if (!account || account.connectorId !== connectorId || account.status === 'disabled') {
          return text(404, 'unknown channel account');
        }
        ref = this.accounts.toRef(account);
      }
      if (connector.verify && !(await connector.verify(request, ref))) {
        errorsTotal.inc({ app: 'connectors', kind: 'webhook_unverified' });
        return text(ref ? 403 : 401, 'signature verification failed');
      }
      const received = await connector.receive!(request, ref);
      for (const message of received.messages) {
        await this.publisher.publishInbound(ref?.tenantId ?? (await this.tenantOf(message.channelAccountId)), message);
      }
      for (const status of received.statuses) {
        const tenantId = ref?.tenantId ?? (await this.tenantOf(channelAccountId ?? ''));
        await this.recorder.apply(tenantId, connector.definition.channel, status);
      }
      for (const optOut of received.optOuts ?? []) {
        const tenantId = ref?.tenantId ?? (await this.tenantOf(channelAccountId ?? ''));
        await this.recorder.recordOptOut(tenantId, connector.definition.channel, optOut);
      }
      return received.response;
    } catch (err) {
      if (err instanceof ValidationFailed) return text(400, err.message);
      errorsTotal.inc({ app: 'connectors', kind: 'webhook_failed' });
      this.logger.error(`webhook ${connectorId} failed (error id ${errorId}): ${(err as Error).stack ?? String(err)}`);
      // A 5xx makes the vendor retry later; the publish is deduplicated by message id.
      return text(503, `temporary failure, error id ${errorId}`);
    }
  }

  /** For webhooks shared by every account (one URL per app), the parser names the account. */
  private async tenantOf(channelAccountId: string): Promise<string> {
    const account = channelAccountId ? await this.accounts.findById(channelAccountId) : null;
    if (!account) throw new ValidationFailed([{ path: 'channelAccountId', message: 'no such channel account' }]);
    return account.tenantId;
  }
}

function text(status: number, body: string): WebhookResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}
