import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({ imports: [AuthModule], controllers: [WebhooksController], providers: [WebhooksService, WebhookDispatcher] })
export class WebhooksOutModule {}
