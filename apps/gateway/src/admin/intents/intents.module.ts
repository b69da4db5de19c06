import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IntentsController } from './intents.controller';
import { IntentsService } from './intents.service';

@Module({ imports: [AuthModule], controllers: [IntentsController], providers: [IntentsService] })
export class IntentsModule {}
