import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DeadLetterRecorder } from './dead-letter-recorder.service';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';

@Module({ imports: [AuthModule], controllers: [DeadLettersController], providers: [DeadLettersService, DeadLetterRecorder] })
export class DeadLettersModule {}
