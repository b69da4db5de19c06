import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ActionApprovalsController } from './action-approvals.controller';
import { ActionApprovalsService } from './action-approvals.service';

@Module({ imports: [AuthModule], controllers: [ActionApprovalsController], providers: [ActionApprovalsService] })
export class ActionApprovalsModule {}
