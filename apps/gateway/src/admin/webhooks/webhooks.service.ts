import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, SECRET_KEY, SecretBox, type GatewayEnv } from '@cs/config';
import { ValidationFailed, newId } from '@cs/contracts';
import { WebhookSubscription } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { CreateWebhookBody, UpdateWebhookBody, WebhookView } from './dto/webhook.dto';
import { checkWebhookUrl, type WebhookTargetPolicy } from './webhook-target';

/** The tenant's outbound webhooks. The signing secret is shown once and kept sealed (we need it to sign). */
@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;
  /** Checked at registration here and again by the dispatcher at every delivery. */
  readonly targetPolicy: WebhookTargetPolicy;
  /** Called with the tenant after each create, update and removal here (the dispatcher's memo follows at once). */
  private readonly listeners = new Set<(tenantId: string) => void>();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SECRET_KEY) secretKey: Buffer,
    @Inject(APP_CONFIG) config: Pick<GatewayEnv, 'WEBHOOK_ALLOW_HTTP' | 'WEBHOOK_ALLOW_PRIVATE_TARGETS'>,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(secretKey);
    this.targetPolicy = { allowHttp: config.WEBHOOK_ALLOW_HTTP === 'true', allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true' };
  }

  async create(caller: Principal, tenantId: string, body: CreateWebhookBody): Promise<WebhookView & { secret: string }> {
    await this.assertTarget(body.url);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const row = this.db.manager.create(WebhookSubscription, {
      id: newId(),
      tenantId,
      url: body.url,
      events: body.events,
      secretEncrypted: this.box.encrypt(secret),
      active: true,
      lastDeliveryAt: null,
      lastStatus: null,
      lastError: null,
    });
    await this.db.manager.save(row);
    await this.audit.record(caller, 'webhook.create', { type: 'webhook', id: row.id }, { url: row.url, events: row.events });
    this.changed(tenantId);
    return { ...view(row), secret };
  }

  async list(tenantId: string): Promise<{ items: WebhookView[] }> {
    const rows = await this.db.manager.find(WebhookSubscription, { where: { tenantId }, order: { createdAt: 'ASC' } });
    return { items: rows.map(view) };
  }

  async update(caller: Principal, tenantId: string, id: string, body: UpdateWebhookBody): Promise<WebhookView> {
    const row = await this.find(tenantId, id);
    if (body.url !== undefined) await this.assertTarget(body.url);
    Object.assign(row, body);
    await this.db.manager.save(row);
    await this.audit.record(caller, 'webhook.update', { type: 'webhook', id }, { ...body });
    this.changed(tenantId);
    return view(row);
  }

  async remove(caller: Principal, tenantId: string, id: string): Promise<void> {
    await this.find(tenantId, id);
    await this.db.manager.delete(WebhookSubscription, { id, tenantId });
    await this.audit.record(caller, 'webhook.delete', { type: 'webhook', id });
    this.changed(tenantId);
  }

  /** `listener(tenantId)` after every change of a tenant's webhooks made through this process; returns the way to stop. */
  onChange(listener: (tenantId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(tenantId: string): void {
    for (const listener of this.listeners) listener(tenantId);
  }

  async find(tenantId: string, id: string): Promise<WebhookSubscription> {
    const row = await this.db.manager.findOne(WebhookSubscription, { where: { id, tenantId } });
    if (!row) throw new NotFoundException('no such webhook');
    return row;
  }

  /** A URL we would refuse to deliver to is refused now, with the reason, as a 400 on `url`. */
  private async assertTarget(url: string): Promise<void> {
    const refused = await checkWebhookUrl(url, this.targetPolicy);
    if (refused) throw new ValidationFailed([{ path: 'url', message: refused }]);
  }

  secretOf(row: WebhookSubscription): string {
    return this.box.decrypt(row.secretEncrypted);
  }
}

function view(row: WebhookSubscription): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    active: row.active,
    lastDeliveryAt: row.lastDeliveryAt,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    createdAt: row.createdAt,
  };
}
