import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';

export interface Notice {
  tenantId: string;
  conversationId: string;
  /** One email per key and person, whatever the number of processes or redeliveries. */
  eventKey: string;
  /** The assignee, else the team's members, else every active staff member of the tenant. */
  assigneeId: string | null;
  teamId: string | null;
  subject: string;
  text: string;
}

interface Recipient {
  id: string;
  email: string;
  name: string | null;
}

/**
 * Emails to the staff (issue 17) through the SMTP server of `SMTP_URL`, to those whose preference
 * `email` is not off. The `notification_deliveries` row is claimed before sending: a second process
 * (or a redelivered event) finds it and sends nothing; a failed send releases it so a retry can.
 */
@Injectable()
export class NotificationMailer implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationMailer.name);
  private readonly transport: Transporter | null;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'SMTP_URL' | 'NOTIFY_FROM' | 'PUBLIC_URL'>,
  ) {
    this.transport = config.SMTP_URL ? createTransport(config.SMTP_URL) : null;
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /** The link to the conversation in the console. */
  link(conversationId: string): string {
    return `${(this.config.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/$/, '')}/console/inbox/${conversationId}`;
  }

  /** Sends the notice; returns the addresses it went to. Throws when the SMTP server refused it (after releasing the claims). */
  async send(notice: Notice): Promise<string[]> {
    if (!this.transport) return [];
    const recipients = await this.recipients(notice);
    if (!recipients.length) return [];
    const claimed: string[] = (
      (await this.db.query(
        `INSERT INTO notification_deliveries (event_key, user_id, tenant_id) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING RETURNING user_id`,
        [notice.eventKey, recipients.map((r) => r.id), notice.tenantId],
      )) as { user_id: string }[]
    ).map((row) => row.user_id);
    const to = recipients.filter((r) => claimed.includes(r.id));
    if (!to.length) return [];
    try {
      await this.transport.sendMail({
        from: this.config.NOTIFY_FROM,
        to: to.map((r) => (r.name ? { name: r.name, address: r.email } : r.email)),
        subject: notice.subject,
        text: `${notice.text}\n\nOpen the conversation: ${this.link(notice.conversationId)}\n\nYou receive this because email notifications are on in your console preferences.`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (err) {
      await this.db.query(`DELETE FROM notification_deliveries WHERE event_key = $1 AND user_id = ANY($2::uuid[])`, [notice.eventKey, claimed]);
      throw err;
    }
    this.logger.log(`notified ${to.length} person(s) of ${notice.eventKey}`);
    return to.map((r) => r.email);
  }

  private recipients(notice: Notice): Promise<Recipient[]> {
    const wantsEmail = `u.tenant_id = $1 AND u.disabled_at IS NULL AND u.role IN ('owner', 'admin', 'agent') AND coalesce((u.notification_prefs->>'email')::boolean, true)`;
    if (notice.assigneeId) return this.db.query(`SELECT u.id, u.email, u.name FROM users u WHERE ${wantsEmail} AND u.id = $2`, [notice.tenantId, notice.assigneeId]);
    if (notice.teamId) {
      return this.db.query(`SELECT u.id, u.email, u.name FROM users u JOIN team_members m ON m.user_id = u.id AND m.team_id = $2 WHERE ${wantsEmail}`, [notice.tenantId, notice.teamId]);
    }
    return this.db.query(`SELECT u.id, u.email, u.name FROM users u WHERE ${wantsEmail}`, [notice.tenantId]);
  }
}
