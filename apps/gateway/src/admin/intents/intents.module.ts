import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConsoleLearningEvents } from '../learning/learning-events.publisher';
import { ConversationIntentController, IntentModelsController } from './intent-models.controller';
import { IntentTrainingService } from './intent-training.service';
import { IntentsController } from './intents.controller';
import { IntentsService } from './intents.service';

@Module({
  imports: [AuthModule],
  controllers: [IntentsController, IntentModelsController, ConversationIntentController],
  providers: [IntentsService, IntentTrainingService, ConsoleLearningEvents],
})
export class IntentsModule {}
