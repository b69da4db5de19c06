import { Module } from '@nestjs/common';
import { UpgradeRouterModule } from '../common/upgrade-router.module';
import { WebchatAccountsService } from './webchat-accounts.service';
import { WebchatHistoryService } from './webchat-history.service';
import { WebchatSocketService } from './webchat-socket.service';
import { WidgetController } from './widget.controller';

@Module({
  imports: [UpgradeRouterModule],
  controllers: [WidgetController],
  providers: [WebchatAccountsService, WebchatHistoryService, WebchatSocketService],
  exports: [WebchatSocketService],
})
export class WebchatModule {}
