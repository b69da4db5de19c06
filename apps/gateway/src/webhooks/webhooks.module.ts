import { Module } from '@nestjs/common';
import { MediaStreamBridge } from './media-stream.bridge';
import { WebhooksController } from './webhooks.controller';

@Module({ controllers: [WebhooksController], providers: [MediaStreamBridge] })
export class WebhooksModule {}
