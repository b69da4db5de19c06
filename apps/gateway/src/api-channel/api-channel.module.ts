import { Module } from '@nestjs/common';
import { ApiChannelController } from './api-channel.controller';
import { ApiChannelService } from './api-channel.service';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { ConversationMessagesService } from './conversation-messages.service';

@Module({
  controllers: [ApiChannelController],
  providers: [ApiChannelService, ApiKeyService, ApiKeyGuard, ConversationMessagesService],
  exports: [ApiKeyService],
})
export class ApiChannelModule {}
