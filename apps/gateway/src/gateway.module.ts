import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { ApiChannelModule } from './api-channel/api-channel.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { ConsoleModule } from './console/console.module';
import { FilesModule } from './files/files.module';
import { PagesModule } from './pages/pages.module';
import { WebchatModule } from './webchat/webchat.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The public edge: API channel, web-chat socket, widget and uploads, webhook bridge, demo and
 * help-center pages, signed file downloads, the admin console API and the staff's web console at
 * /console. Assumes CoreModule (APP_CONFIG, DataSource, BUS) is imported by the host; the host also
 * calls `configureGatewayHttp` (raw bodies for /hooks).
 */
@Module({
  imports: [ApiChannelModule, WebchatModule, WebhooksModule, PagesModule, AdminModule, ConsoleModule, FilesModule],
  providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
})
export class GatewayModule {}
