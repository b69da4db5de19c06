import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConsoleLearningEvents } from '../learning/learning-events.publisher';
import { ExperimentsController } from './experiments.controller';
import { ExperimentsService } from './experiments.service';

/** A/B tests of reply settings (issue 18). */
@Module({ imports: [AuthModule], controllers: [ExperimentsController], providers: [ExperimentsService, ConsoleLearningEvents] })
export class ExperimentsModule {}
