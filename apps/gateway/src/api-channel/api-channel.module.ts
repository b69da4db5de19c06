import { Module } from '@nestjs/common';
import { ApiChannelController } from './api-channel.controller';
import { ApiChannelService } from './api-channel.service';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { ConversationMessagesService } from './conversation-messages.service';
import { CsatController } from './csat.controller';
import { CsatService } from './csat.service';

@Module({
  controllers: [ApiChannelController, CsatController],
  providers: [ApiChannelService, ApiKeyService, ApiKeyGuard, ConversationMessagesService, CsatService],
  exports: [ApiKeyService, CsatService],
})
export class ApiChannelModule {}
