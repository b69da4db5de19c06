import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import type { Conversation } from '@cs/persistence';
import { ConversationEventsPublisher } from '../conversations/conversation-events.publisher';

type Row = Pick<Conversation, 'id' | 'tenantId' | 'channel' | 'status' | 'assigneeId' | 'externalThreadId'> & { waitingSince?: Date };

/* Each job is one UPDATE over a batch picked with FOR UPDATE SKIP LOCKED: several gateway processes
 * running it at the same moment split the rows, and the condition re-checked under the row lock
 * (closed_at / sla_breached_at still NULL) makes each conversation change, and be announced, once. */
const AUTO_CLOSE_SQL = `
UPDATE conversations c SET closed_at = now(), updated_at = now()
 WHERE c.id IN (
   SELECT c2.id FROM conversations c2 JOIN tenants t ON t.id = c2.tenant_id
    WHERE c2.status = 'resolved' AND c2.closed_at IS NULL
      AND jsonb_typeof(t.settings->'autoCloseAfterHours') = 'number'
      AND greatest(c2.resolved_at, c2.last_message_at) < now() - make_interval(hours => (t.settings->>'autoCloseAfterHours')::int)
    LIMIT 500 FOR UPDATE OF c2 SKIP LOCKED)
   AND c.status = 'resolved' AND c.closed_at IS NULL
RETURNING c.id, c.tenant_id AS "tenantId", c.channel, c.status, c.assignee_id AS "assigneeId", c.external_thread_id AS "externalThreadId"`;

const SLA_SQL = `
UPDATE conversations c SET sla_breached_at = now()
 WHERE c.id IN (
   SELECT c2.id FROM conversations c2 JOIN tenants t ON t.id = c2.tenant_id
    WHERE c2.waiting_since IS NOT NULL AND c2.sla_breached_at IS NULL AND c2.status IN ('waiting', 'assigned')
      AND jsonb_typeof(t.settings->'slaMinutes') = 'number'
      AND c2.waiting_since < now() - make_interval(mins => (t.settings->>'slaMinutes')::int)
    LIMIT 500 FOR UPDATE OF c2 SKIP LOCKED)
   AND c.waiting_since IS NOT NULL AND c.sla_breached_at IS NULL
RETURNING c.id, c.tenant_id AS "tenantId", c.channel, c.status, c.assignee_id AS "assigneeId", c.external_thread_id AS "externalThreadId", c.waiting_since AS "waitingSince"`;

/**
 * The helpdesk's periodic jobs, every HELPDESK_JOB_INTERVAL_MS in every gateway process: close
 * resolved conversations idle for the tenant's `autoCloseAfterHours` (durable `conv.closed`), and
 * flag waiting customers past the tenant's `slaMinutes` (durable `conv.sla_breached`; the live
 * inbox gets `conversation` events with `detail.event`).
 */
@Injectable()
export class HelpdeskJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HelpdeskJobs.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'HELPDESK_JOB_INTERVAL_MS'>,
    private readonly events: ConversationEventsPublisher,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.runOnce().catch((err: Error) => this.logger.warn(`helpdesk jobs: ${err.message}`));
    }, this.config.HELPDESK_JOB_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Both jobs once; what each changed. */
  async runOnce(): Promise<{ closed: string[]; breached: string[] }> {
    return { closed: await this.autoClose(), breached: await this.slaBreaches() };
  }

  async autoClose(): Promise<string[]> {
    const [rows] = (await this.db.query(AUTO_CLOSE_SQL)) as [Row[], number];
    for (const row of rows) await this.events.announce(this.conversationOf(row), 'closed', undefined, { by: 'auto_close' }, `closed:${row.id}:${Date.now()}`);
    return rows.map((row) => row.id);
  }

  async slaBreaches(): Promise<string[]> {
    const [rows] = (await this.db.query(SLA_SQL)) as [Row[], number];
    for (const row of rows) {
      const waitingSince = row.waitingSince ? new Date(row.waitingSince) : null;
      await this.events.announce(this.conversationOf(row), 'sla_breached', undefined, { waitingSince }, `sla:${row.id}:${waitingSince?.getTime() ?? 0}`);
    }
    return rows.map((row) => row.id);
  }

  private conversationOf(row: Row): Conversation {
    return { ...row } as Conversation;
  }
}
