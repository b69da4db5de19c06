import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BusSubjects, type WebhookResponse } from '@cs/contracts';
import { ShopWebhooks } from './shop-webhooks.service';

/** `webhook.shopify`: the gateway's `/hooks/shopify/<account id>` requests, one agent of the queue group answering each. */
@Controller()
export class ShopWebhooksController {
  constructor(@Inject(ShopWebhooks) private readonly webhooks: ShopWebhooks) {}

  @MessagePattern(BusSubjects.webhook('shopify'), { queue: 'agent' })
  onShopify(@Payload() payload: unknown): Promise<WebhookResponse> {
    return this.webhooks.handle('shopify', payload);
  }
}
