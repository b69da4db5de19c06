import { Module } from '@nestjs/common';
import { WebchatAccountsService } from './webchat-accounts.service';
import { WebchatHistoryService } from './webchat-history.service';
import { WebchatSocketService } from './webchat-socket.service';
import { WidgetController } from './widget.controller';

@Module({
  controllers: [WidgetController],
  providers: [WebchatAccountsService, WebchatHistoryService, WebchatSocketService],
  exports: [WebchatSocketService],
})
export class WebchatModule {}
