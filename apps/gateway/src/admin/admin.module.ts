import { Module } from '@nestjs/common';
import { ActionApprovalsModule } from './action-approvals/action-approvals.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CannedResponsesModule } from './canned-responses/canned-responses.module';
import { ChannelAccountsModule } from './channel-accounts/channel-accounts.module';
import { ContactsModule } from './contacts/contacts.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { ConversationsModule } from './conversations/conversations.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { HelpdeskModule } from './helpdesk/helpdesk.module';
import { IntentsModule } from './intents/intents.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { LearningModule } from './learning/learning.module';
import { LiveModule } from './live/live.module';
import { SettingsModule } from './settings/settings.module';
import { ShopModule } from './shop/shop.module';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';
import { WebhooksOutModule } from './webhooks/webhooks.module';

/**
 * The admin REST console under /api/v1 (issue 5). Assumes CoreModule (DataSource, BUS, SECRET_KEY)
 * is imported by the app. Every controller carries AdminAuthGuard via @AdminController.
 */
@Module({
  imports: [AuthModule, ActionApprovalsModule, AnalyticsModule, ApiKeysModule, AuditModule, CannedResponsesModule, ChannelAccountsModule, ContactsModule, ConversationsModule, DeadLettersModule, ExperimentsModule, HelpdeskModule, IntentsModule, KnowledgeModule, LearningModule, LiveModule, SettingsModule, ShopModule, TenantsModule, UsersModule, WebhooksOutModule],
})
export class AdminModule {}
