import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { ApiChannelModule } from './api-channel/api-channel.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { ConsoleModule } from './console/console.module';
import { PagesModule } from './pages/pages.module';
import { WebchatModule } from './webchat/webchat.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The public edge: API channel, web-chat socket and widget, webhook bridge, demo and help-center
 * pages, the admin console API and the staff's web console at /console. Assumes CoreModule (APP_CONFIG, DataSource, BUS) is imported by
 * the host; the host also calls `configureGatewayHttp` (raw bodies for /hooks).
 */
@Module({
  imports: [ApiChannelModule, WebchatModule, WebhooksModule, PagesModule, AdminModule, ConsoleModule],
  providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
})
export class GatewayModule {}
