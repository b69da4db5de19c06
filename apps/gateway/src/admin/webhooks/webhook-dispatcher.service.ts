import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import type { LookupFunction } from 'net';
import { DataSource } from 'typeorm';
import { BusSubjects } from '@cs/contracts';
import { BUS, type Bus, type BusMessage, type Subscription } from '@cs/messaging';
import { IdempotencyKey, WebhookSubscription } from '@cs/persistence';
import type { WebhookPayload } from './dto/webhook.dto';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import { WebhookTargetRefused, refuseByUrl, vettedLookup } from './webhook-target';
import { WebhooksService } from './webhooks.service';
import { DELIVERY_EVENT } from './dto/webhook.dto';

export interface WebhookDeliveryOptions {
  maxDeliver: number;
  backoffMs: number[];
  timeoutMs: number;
}

export const WEBHOOK_DELIVERY_OPTIONS = Symbol('WEBHOOK_DELIVERY_OPTIONS');

/**
 * Every outgoing message reports its delivery states, and most tenants subscribe to none of them:
 * whether a tenant has webhooks that take `delivery` is read at most this often, not once per status,
 * and whether any tenant has one decides, at most this often too, whether the `webhooks-delivery`
 * consumer is attached at all. A webhook changed through another gateway is seen within this time
 * (through this one, at once).
 */
export const DELIVERY_TARGETS_TTL_MS = 10_000;

/**
 * A webhook takes the delivery states that occurred from its creation on, give or take this much
 * clock difference between the processes: the consumer, attached again after a time without any
 * delivery webhook, resumes where it stopped, and what happened meanwhile was for nobody.
 */
export const DELIVERY_CLOCK_SKEW_MS = 60_000;

/** About a day of retries before the event is dead-lettered. */
const DEFAULTS: WebhookDeliveryOptions = { maxDeliver: 10, backoffMs: [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000], timeoutMs: 10_000 };

/**
 * Delivers `conv.<event>.<tenantId>` (durable consumer `webhooks-out`) and the delivery states of
 * outgoing messages, `msg.status.*` (durable consumer `webhooks-delivery`, event `delivery`), to the
 * tenant's webhooks; both consumers are shared by every gateway. The delivery consumer is attached
 * only while some tenant has an active webhook that takes `delivery`: several statuses per reply
 * are otherwise pulled, acknowledged and dropped for nobody. A failed endpoint makes the whole event redeliver with backoff;
 * endpoints that already took it are remembered in idempotency_keys and not called again.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly options: WebhookDeliveryOptions;
  private readonly subscriptions: Subscription[] = [];
  private readonly deliveryTargets = new Map<string, { until: number; targets: WebhookSubscription[] }>();
  private delivery?: Subscription;
  private deliveryFollowing: Promise<void> = Promise.resolve();
  private deliveryTimer?: NodeJS.Timeout;
  private stopFollowing?: () => void;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) private readonly db: DataSource,
    private readonly webhooks: WebhooksService,
    @Optional() @Inject(WEBHOOK_DELIVERY_OPTIONS) options?: Partial<WebhookDeliveryOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.subscriptions.push(
      await this.bus.consume({ durable: 'webhooks-out', filterSubjects: [BusSubjects.convEvents()], ...this.retries() }, (message) =>
        this.dispatch(message, message.subject.split('.')[1], `conversation.${message.subject.split('.')[1]}`),
      ),
    );
    this.followDeliverySubscribers();
    await this.deliveryFollowing;
    this.stopFollowing = this.webhooks.onChange((tenantId) => {
      this.deliveryTargets.delete(tenantId);
      this.followDeliverySubscribers();
    });
    this.deliveryTimer = setInterval(() => this.followDeliverySubscribers(), DELIVERY_TARGETS_TTL_MS);
    this.deliveryTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.deliveryTimer);
    this.stopFollowing?.();
    await this.deliveryFollowing;
    if (this.delivery) this.subscriptions.push(this.delivery);
    this.delivery = undefined;
    for (const subscription of this.subscriptions.splice(0)) await subscription.unsubscribe().catch(() => undefined);
  }

  private retries() {
    return { maxDeliver: this.options.maxDeliver, backoffMs: this.options.backoffMs, concurrency: 8 };
  }

  /**
   * Attaches the `webhooks-delivery` consumer while any tenant has an active webhook taking
   * `delivery`, and detaches it when none has (the durable keeps its place in the stream). One
   * check at a time, chained on `deliveryFollowing`, which never rejects (a failed check is logged
   * and tried again at the next tick).
   */
  private followDeliverySubscribers(): void {
    this.deliveryFollowing = this.deliveryFollowing.then(async () => {
      try {
        const wanted = await this.anyDeliveryWebhook();
        if (wanted && !this.delivery) {
          // The announcements of the one writer of delivery state (apps/connectors DeliveryRecorder):
          // sent, delivered, read, failed, each after its row was written.
          this.delivery = await this.bus.consume({ durable: 'webhooks-delivery', filterSubjects: [BusSubjects.msgStatusAll()], ...this.retries() }, async (message) => {
            const occurred = Date.parse(message.envelope.occurredAt);
            const targets = (await this.deliveryTargetsOf(message.envelope.tenantId)).filter((t) => !(occurred < t.createdAt.getTime() - DELIVERY_CLOCK_SKEW_MS));
            if (targets.length) await this.dispatch(message, DELIVERY_EVENT, `message.${DELIVERY_EVENT}`, targets);
          });
        } else if (!wanted && this.delivery) {
          const detached = this.delivery;
          this.delivery = undefined;
          await detached.unsubscribe();
        }
      } catch (err) {
        this.logger.warn(`could not follow the delivery webhooks: ${(err as Error).message}`);
      }
    });
  }

  /** Whether there is an active webhook that takes `delivery` (or every event), in any tenant. */
  private async anyDeliveryWebhook(): Promise<boolean> {
    return this.db.manager
      .createQueryBuilder(WebhookSubscription, 'w')
      .where('w.active')
      .andWhere(`(cardinality(w.events) = 0 OR :event = ANY(w.events))`, { event: DELIVERY_EVENT })
      .getExists();
  }

  /** `event` is what subscriptions filter on (`resolved`, `delivery`); `type` what the body says. */
  async dispatch(message: BusMessage, event: string, type: string, subscribed?: WebhookSubscription[]): Promise<void> {
    const { tenantId } = message.envelope;
    const targets = subscribed ?? (await this.targetsOf(tenantId, event));
    const payload: WebhookPayload = {
      id: message.envelope.id,
      type,
      occurredAt: message.envelope.occurredAt,
      tenantId,
      data: message.envelope.data,
    };
    const failed: string[] = [];
    for (const target of targets) {
      const key = `webhook:${target.id}:${payload.id}`;
      if (await this.db.manager.exists(IdempotencyKey, { where: { key } })) continue;
      const error = await this.post(target, payload);
      await this.db.manager.update(WebhookSubscription, { id: target.id }, { lastDeliveryAt: new Date(), lastStatus: error ? 'failed' : 'ok', lastError: error });
      if (error) failed.push(`${target.url}: ${error}`);
      else await this.db.query(`INSERT INTO idempotency_keys (key, tenant_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, tenantId]);
    }
    if (failed.length) throw new Error(`webhook delivery of ${payload.type} ${payload.id} failed: ${failed.join('; ')}`);
  }

  private targetsOf(tenantId: string, event: string): Promise<WebhookSubscription[]> {
    return this.db.manager
      .createQueryBuilder(WebhookSubscription, 'w')
      .where('w.tenant_id = :tenantId AND w.active', { tenantId })
      .andWhere(`(cardinality(w.events) = 0 OR :event = ANY(w.events))`, { event })
      .getMany();
  }

  private async deliveryTargetsOf(tenantId: string): Promise<WebhookSubscription[]> {
    const known = this.deliveryTargets.get(tenantId);
    if (known && known.until > Date.now()) return known.targets;
    const targets = await this.targetsOf(tenantId, DELIVERY_EVENT);
    this.deliveryTargets.set(tenantId, { until: Date.now() + DELIVERY_TARGETS_TTL_MS, targets });
    return targets;
  }

  /**
   * Sends one delivery; resolves to an error text, or null when the endpoint answered 2xx. A target
   * the policy refuses (now resolving to a private address, say) fails with the reason, unsent.
   */
  async post(target: WebhookSubscription, payload: WebhookPayload): Promise<string | null> {
    const url = new URL(target.url);
    const policy = this.webhooks.targetPolicy;
    const refused = refuseByUrl(url, policy);
    if (refused) return this.refused(target, refused);
    const body = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'support-agent-webhooks/1',
      'x-cs-event': payload.type,
      'x-cs-delivery': payload.id,
      [SIGNATURE_HEADER]: signWebhook(this.webhooks.secretOf(target), body),
    };
    try {
      const status = await this.send(url, headers, body, policy.allowPrivate ? undefined : vettedLookup);
      return status >= 200 && status < 300 ? null : `HTTP ${status}`;
    } catch (error) {
      if (error instanceof WebhookTargetRefused) return this.refused(target, error.message);
      this.logger.warn(`webhook ${target.id} → ${target.url}: ${(error as Error).message}`);
      return (error as Error).name === 'AbortError' ? 'timed out' : 'could not connect';
    }
  }

  private refused(target: WebhookSubscription, reason: string): string {
    this.logger.warn(`webhook ${target.id} → ${target.url} refused: ${reason}`);
    return `refused: ${reason}`;
  }

  /**
   * node:http rather than fetch: it takes a `lookup`, so the socket connects to the addresses that
   * were vetted. No redirects are followed (a 3xx is a failure), no keep-alive pool is shared, and
   * the body of the answer is never read.
   */
  private send(url: URL, headers: Record<string, string>, body: string, lookup?: LookupFunction): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(url, { method: 'POST', headers, lookup, agent: false, signal: AbortSignal.timeout(this.options.timeoutMs) }, (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
