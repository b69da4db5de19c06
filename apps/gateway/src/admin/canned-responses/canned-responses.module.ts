import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CannedResponsesController, FilledCannedResponseController } from './canned-responses.controller';
import { CannedResponsesService } from './canned-responses.service';

@Module({ imports: [AuthModule], controllers: [CannedResponsesController, FilledCannedResponseController], providers: [CannedResponsesService] })
export class CannedResponsesModule {}
