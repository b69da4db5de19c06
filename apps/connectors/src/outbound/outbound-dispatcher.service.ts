import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { BusSubjects, ChannelConnector, ConnectorError, OutboundMessage, describeZodError, newId, outboundMessageSchema } from '@cs/contracts';
import { BUS, Bus, BusMessage, Subscription } from '@cs/messaging';
import { errorsTotal, messagesOut } from '@cs/config';
import { ChannelAccountService } from '../registry/channel-account.service';
import { ConnectorRegistry } from '../registry/connector-registry.service';
import { DeliveryRecorder } from './delivery-recorder.service';
import { SendClaims, keyOf as claimKeyOf, type GuardRow } from './send-claims.service';
import { decideOnSendError, sendGuard } from './send-policy';

export interface OutboundDispatchOptions {
  maxDeliver: number;
  backoffMs: number[];
  concurrency: number;
}

export const OUTBOUND_DISPATCH_OPTIONS = Symbol('OUTBOUND_DISPATCH_OPTIONS');

const DEFAULTS: OutboundDispatchOptions = { maxDeliver: 6, backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000], concurrency: 64 };

/**
 * Delivers `msg.out.<channel>.*`: one durable consumer `connector-<id>` per connector. Consumers are
 * created with `bus.consume` at bootstrap rather than `@EventPattern`, because the set of
 * connectors is a runtime list (CONNECTORS) and decorators are static.
 */
@Injectable()
export class OutboundDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboundDispatcher.name);
  private readonly subscriptions: Subscription[] = [];
  private readonly options: OutboundDispatchOptions;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: ConnectorRegistry,
    private readonly accounts: ChannelAccountService,
    private readonly recorder: DeliveryRecorder,
    private readonly claims: SendClaims,
    @Optional() @Inject(OUTBOUND_DISPATCH_OPTIONS) options?: Partial<OutboundDispatchOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const connector of this.registry.all()) {
      const { id, channel } = connector.definition;
      const sub = await this.bus.consume(
        {
          durable: `connector-${id}`,
          filterSubjects: [BusSubjects.msgOutChannel(channel)],
          maxDeliver: this.options.maxDeliver,
          backoffMs: this.options.backoffMs,
          concurrency: this.options.concurrency,
          // Replies of one conversation reach the customer in the order the agent wrote them.
          orderKey: (env) => env.conversationId ?? (env.data as { conversationId?: string } | undefined)?.conversationId,
        },
        (message) => this.dispatch(connector, message),
      );
      this.subscriptions.push(sub);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.unsubscribe().catch(() => undefined)));
  }

  /** Resolves to ack; throws to have the bus redeliver with backoff. */
  async dispatch(connector: ChannelConnector, message: BusMessage): Promise<void> {
    const parsed = outboundMessageSchema.safeParse(message.envelope.data);
    if (!parsed.success) {
      // Redelivering a malformed message cannot fix it: count it, log it, drop it.
      errorsTotal.inc({ app: 'connectors', kind: 'outbound_invalid' });
      this.logger.error(`dropping malformed outbound ${message.envelope.id}: ${describeZodError(parsed.error)}`);
      return;
    }
    const out = parsed.data;
    // Two connectors may share a channel (and so a subject); each delivers only its own messages.
    if (out.connectorId !== connector.definition.id) return;
    const tenantId = message.envelope.tenantId;

    // The row is read after the claim is taken, so a send that finished a moment ago is seen.
    const { claimed, row } = await this.claims.claimAndLoad(tenantId, out.messageId);
    if (!claimed) {
      // Another worker is sending this very message; by the redelivery it will be marked sent.
      throw new Error(`message ${out.messageId} is being sent by another worker, checking again later`);
    }
    let released = false;
    try {
      released = await this.deliver(connector, out, tenantId, message, row);
    } finally {
      if (!released) await this.claims.release(out.messageId).catch((err: Error) => this.logger.warn(`releasing a send claim: ${err.message}`));
    }
  }

  /** True when the claim was released with the row marked sent. */
  private async deliver(connector: ChannelConnector, out: OutboundMessage, tenantId: string, message: BusMessage, row: GuardRow | null): Promise<boolean> {
    const skip = sendGuard(row);
    if (skip) {
      // A redelivery after the row was written but before the status went out: say it again.
      if (skip === 'already-sent' && row?.externalMessageId && message.deliveryCount > 1) {
        await this.recorder.announceSent(out, tenantId, row.externalMessageId, message.envelope);
      }
      if (skip !== 'already-sent') this.logger.warn(`not sending ${out.messageId}: ${skip}`);
      return false;
    }

    const account = await this.accounts.findById(out.channelAccountId);
    if (!account || account.tenantId !== tenantId || account.status !== 'active') {
      errorsTotal.inc({ app: 'connectors', kind: 'send_channel_unavailable' });
      const reason = account?.tenantId === tenantId ? `the channel account is ${account.status}` : 'the channel account no longer exists';
      await this.recorder.markFailed(out, tenantId, account?.tenantId === tenantId ? 'CHANNEL_INACTIVE' : 'PERMANENT', reason, message.envelope);
      return false;
    }

    let externalMessageId: string;
    try {
      externalMessageId = (await connector.send(out, this.accounts.toRef(account))).externalMessageId;
    } catch (err) {
      await this.onSendError(err, out, tenantId, message, account.id);
      return false;
    }
    await this.recorder.markSent(out, tenantId, externalMessageId, message.envelope, claimKeyOf(out.messageId));
    messagesOut.inc({ channel: out.channel, author: out.authorKind });
    return true;
  }

  private async onSendError(err: unknown, out: OutboundMessage, tenantId: string, message: BusMessage, accountId: string): Promise<void> {
    const errorId = newId();
    // Attempts that count toward maxDeliver: retries while a database outage was waited out do not.
    const attempt = (message.failedAttempts ?? message.deliveryCount - 1) + 1;
    const decision = decideOnSendError(err, attempt, this.options.maxDeliver, errorId);
    errorsTotal.inc({ app: 'connectors', kind: `send_${decision.code.toLowerCase()}` });
    this.logger.warn(
      `send ${out.messageId} via ${out.connectorId} failed (attempt ${message.deliveryCount}, error id ${errorId}): ${
        err instanceof Error ? err.stack ?? err.message : String(err)
      }`,
    );
    // What the failed send taught (Twilio 21610: the number sent STOP) is kept whatever happens next.
    const optedOut = err instanceof ConnectorError ? err.facts.optedOut : undefined;
    if (optedOut) await this.recorder.recordOptOut(tenantId, out.channel, { address: optedOut, optedOut: true });
    if (decision.action === 'retry') {
      if (decision.sleepMs > 0) await new Promise((r) => setTimeout(r, decision.sleepMs));
      throw new Error(`send ${out.messageId} will be retried (${decision.code}, error id ${errorId})`);
    }
    if (decision.failAccount) await this.accounts.markFailed(accountId, decision.reason);
    await this.recorder.markFailed(out, tenantId, decision.code, decision.reason, message.envelope);
  }
}
