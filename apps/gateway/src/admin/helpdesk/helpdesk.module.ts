import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { HelpdeskEvents } from './helpdesk-events.service';
import { HelpdeskJobs } from './helpdesk-jobs.service';
import { NotificationMailer } from './notification-mailer.service';
import { PreferencesController } from './preferences.controller';
import { PreferencesService } from './preferences.service';
import { RoundRobinService } from './round-robin.service';
import { TeamsController } from './teams.controller';
import { TeamsService } from './teams.service';

/** Helpdesk basics (issue 17): teams, round-robin assignment of hand-offs, staff notifications and preferences, auto-close, SLA. */
@Module({
  imports: [AuthModule, ConversationsModule],
  controllers: [TeamsController, PreferencesController],
  providers: [TeamsService, PreferencesService, RoundRobinService, NotificationMailer, HelpdeskEvents, HelpdeskJobs],
  exports: [HelpdeskJobs, HelpdeskEvents],
})
export class HelpdeskModule {}
