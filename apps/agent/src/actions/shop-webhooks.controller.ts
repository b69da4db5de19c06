import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BusSubjects, type ShopInstallReply, type WebhookResponse } from '@cs/contracts';
import { ShopWebhooks } from './shop-webhooks.service';
import { ShopInstall } from './shop-install.service';

/** `webhook.shopify` (the gateway's `/hooks/shopify/<account id>[/oauth]`) and `agent.shop.install`, one agent of the queue group answering each. */
@Controller()
export class ShopWebhooksController {
  constructor(
    @Inject(ShopWebhooks) private readonly webhooks: ShopWebhooks,
    @Inject(ShopInstall) private readonly install: ShopInstall,
  ) {}

  @MessagePattern(BusSubjects.webhook('shopify'), { queue: 'agent' })
  onShopify(@Payload() payload: unknown): Promise<WebhookResponse> {
    return this.webhooks.handle('shopify', payload);
  }

  @MessagePattern(BusSubjects.agentShopInstall(), { queue: 'agent' })
  onInstall(@Payload() payload: unknown): Promise<ShopInstallReply> {
    return this.install.begin(payload);
  }
}
