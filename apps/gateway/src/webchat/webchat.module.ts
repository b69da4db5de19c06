import { Module } from '@nestjs/common';
import { ApiChannelModule } from '../api-channel/api-channel.module';
import { UpgradeRouterModule } from '../common/upgrade-router.module';
import { WebchatAccountsService } from './webchat-accounts.service';
import { WebchatFeedbackService } from './webchat-feedback.service';
import { WebchatHistoryService } from './webchat-history.service';
import { WebchatSocketService } from './webchat-socket.service';
import { UploadAllowedGuard, WebchatUploadController } from './webchat-upload.controller';
import { WebchatUploadService } from './webchat-upload.service';
import { WidgetController } from './widget.controller';

@Module({
  // The API channel's CSAT: a rating from the widget is stored and counted exactly like one sent by the shop's server.
  imports: [UpgradeRouterModule, ApiChannelModule],
  controllers: [WidgetController, WebchatUploadController],
  providers: [WebchatAccountsService, WebchatHistoryService, WebchatFeedbackService, WebchatSocketService, WebchatUploadService, UploadAllowedGuard],
  exports: [WebchatSocketService],
})
export class WebchatModule {}
