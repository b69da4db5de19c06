import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LiveStreamController } from './live-stream.controller';

@Module({ imports: [AuthModule], controllers: [LiveStreamController] })
export class LiveModule {}
