import { Body, HttpException, HttpStatus, Inject, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import { BusSubjects, type ShopInstallReply } from '@cs/contracts';
import { BUS, BusNoRespondersError, BusTimeoutError, type Bus } from '@cs/messaging';
import { AuditService } from '../audit/audit.service';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { ZodPipe } from '../common/zod-body.pipe';

export const installSchema = z.object({
  /** The store, `my-shop.myshopify.com`. */
  shopDomain: z.string().trim().min(1).max(255),
  /** The app's client id and secret (Shopify Dev Dashboard); the secret is stored encrypted and never shown again. */
  clientId: z.string().trim().min(1).max(200),
  clientSecret: z.string().trim().min(1).max(200),
  /** Where Shopify is reached instead of https://<shop> (a proxy, a test server). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
});
type InstallBody = z.infer<typeof installSchema>;

/**
 * Connecting a Shopify store by OAuth from the console: the agent (over `agent.shop.install`) keeps
 * the pending install and answers with Shopify's authorize URL; the merchant approves there and
 * Shopify sends them back to `/hooks/shopify/<account>/oauth`, where the agent finishes it.
 */
@AdminController('shop', 'shop')
export class ShopInstallController {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'PUBLIC_URL'>,
    private readonly audit: AuditService,
  ) {}

  @Post('shopify/install')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: "Start connecting a Shopify store by OAuth with your app's client id and secret: open the returned authorizeUrl to approve the app" })
  @ApiZodBody(installSchema)
  @ApiResponse({ status: 201, description: '{ accountId, authorizeUrl }' })
  async install(@Caller() caller: Principal, @Req() req: Request, @Body(new ZodPipe(installSchema)) body: InstallBody) {
    const tenantId = tenantOf(caller);
    const publicUrl = this.config.PUBLIC_URL ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    let reply: ShopInstallReply;
    try {
      reply = await this.bus.request(BusSubjects.agentShopInstall(), { tenantId, ...body, publicUrl }, 10_000);
    } catch (err) {
      if (err instanceof BusNoRespondersError || err instanceof BusTimeoutError) throw new HttpException('the agent did not answer; is it running?', HttpStatus.SERVICE_UNAVAILABLE);
      throw err;
    }
    if (!reply.ok) throw new HttpException(reply.error, reply.status >= 400 && reply.status < 500 ? reply.status : HttpStatus.BAD_GATEWAY);
    await this.audit.record(caller, 'shop.install.start', { type: 'action-backend', id: reply.accountId }, { shop: body.shopDomain });
    return { accountId: reply.accountId, authorizeUrl: reply.authorizeUrl };
  }
}
