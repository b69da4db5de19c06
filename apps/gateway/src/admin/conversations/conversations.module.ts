import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationLabelsService } from './conversation-labels.service';
import { ConversationEventsPublisher } from './conversation-events.publisher';
import { ConversationsController } from './conversations.controller';
import { ConversationsQueryService } from './conversations-query.service';

@Module({
  imports: [AuthModule],
  controllers: [ConversationsController],
  providers: [ConversationsQueryService, ConversationActionsService, ConversationLabelsService, ConversationEventsPublisher],
  exports: [ConversationEventsPublisher],
})
export class ConversationsModule {}
