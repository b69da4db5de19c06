import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodQuery } from '../common/openapi-zod';
import { ZodPipe } from '../common/zod-body.pipe';
import { AnalyticsService } from './analytics.service';
import { analyticsQuerySchema, type AnalyticsQuery } from './dto/analytics-query.dto';
import { usageQuerySchema, type UsageQuery } from './dto/analytics.dto';

const DAY_MS = 86_400_000;

@AdminController('analytics', 'analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({
    summary:
      'For a period and optionally some channels: volume by channel and day, automated resolution (confirmed / assumed), hand-off rate, first response time (the bot\'s, and a person\'s after a hand-off), CSAT (overall and by channel), top intents, unanswered questions and the knowledge gaps they fall into, actions on the shop (done, failed, refused, awaiting approval, approved, rejected, look-ups; every channel)',
  })
  @ApiZodQuery(analyticsQuerySchema)
  report(@Caller() caller: Principal, @Query(new ZodPipe(analyticsQuerySchema)) query: AnalyticsQuery) {
    const to = query.to ?? new Date();
    return this.analytics.report(tenantOf(caller), query.from ?? new Date(to.getTime() - 30 * DAY_MS), to, query.channel ?? null);
  }

  @Get('usage')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Billing usage of a month: messages in and out, automated resolutions' })
  @ApiZodQuery(usageQuerySchema)
  usage(@Caller() caller: Principal, @Query(new ZodPipe(usageQuerySchema)) query: UsageQuery) {
    return this.analytics.usage(tenantOf(caller), query.month ?? new Date().toISOString().slice(0, 7));
  }
}
