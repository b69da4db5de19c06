import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, webhookRequestSchema, type WebhookResponse } from '@cs/contracts';
import { ActionBackends } from './action-backends.service';
import { ShopInstall } from './shop-install.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Webhooks from a tenant's shop system (`/hooks/shopify/<action backend account id>`, bridged by the
 * gateway over `webhook.shopify`): verified by the backend plugin with that account's secret (a bad
 * signature is a 401 and nothing is read), then recorded in the tenant's audit log once per delivery
 * (`shop.order_updated`: topic, order number, delivery id), so staff see what changed on an order the
 * agent acted on. `/hooks/shopify/<account>/oauth` is Shopify's redirect after an OAuth install (ShopInstall).
 */
@Injectable()
export class ShopWebhooks {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(ActionBackends) private readonly backends: ActionBackends,
    @Inject(ShopInstall) private readonly install: ShopInstall,
  ) {}

  async handle(backendId: string, payload: unknown): Promise<WebhookResponse & { error?: string }> {
    const request = webhookRequestSchema.safeParse(payload);
    if (!request.success) return { status: 400, error: 'unreadable webhook request' };
    const [, , , accountId, sub] = request.data.path.split('/');
    if (!accountId || !UUID.test(accountId)) return { status: 404, error: `no ${backendId} shop at this address: /hooks/${backendId}/<account id>` };
    if (backendId === 'shopify' && sub === 'oauth') return this.install.finish(accountId, request.data);
    const verified = await this.backends.verifyWebhook(backendId, accountId, request.data);
    if (!verified) return { status: 404, error: `no ${backendId} shop at this address` };
    const { webhook, tenantId } = verified;
    if (!webhook.ok) return { status: webhook.status, error: webhook.error };
    await this.ds.query(
      `INSERT INTO audit_logs (id, tenant_id, actor_kind, actor_id, action, target_type, target_id, detail)
       SELECT $1, $2, 'shop', NULL, 'shop.order_updated', 'action-backend', $3, $4
        WHERE NOT EXISTS (SELECT 1 FROM audit_logs WHERE tenant_id = $2 AND action = 'shop.order_updated' AND target_id = $3 AND detail->>'eventId' = $5)`,
      [newId(), tenantId, accountId, JSON.stringify({ topic: webhook.topic, order: webhook.order ?? null, eventId: webhook.eventId }), webhook.eventId],
    );
    return { status: 200, body: '' };
  }
}
