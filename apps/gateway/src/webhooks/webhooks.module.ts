import { Module } from '@nestjs/common';
import { UpgradeRouterModule } from '../common/upgrade-router.module';
import { MediaStreamBridge } from './media-stream.bridge';
import { WebhooksController } from './webhooks.controller';

@Module({ imports: [UpgradeRouterModule], controllers: [WebhooksController], providers: [MediaStreamBridge] })
export class WebhooksModule {}
