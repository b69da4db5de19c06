import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AuthModule } from '../auth/auth.module';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({ imports: [AuthModule, AnalyticsModule], controllers: [TenantsController], providers: [TenantsService] })
export class TenantsModule {}
