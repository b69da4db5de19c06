import type { DataSource } from 'typeorm';
import { WHATSAPP_SESSION_HOURS } from './twilio-whatsapp.definition';

/**
 * WhatsApp's customer-service window: a business may write freely for 24 hours after the
 * customer's last message, and only with an approved template after that. The last message is the
 * newest one we stored from this number on WhatsApp, in any of its conversations.
 */
export class WhatsAppSessions {
  constructor(private readonly dataSource: DataSource) {}

  async isOpen(tenantId: string, phone: string, now = new Date()): Promise<boolean> {
    const [row]: { at: Date | null }[] = await this.dataSource.query(
      `SELECT max(m.created_at) AS at FROM contact_identities ci
         JOIN conversations c ON c.tenant_id = ci.tenant_id AND c.contact_id = ci.contact_id AND c.channel = 'whatsapp'
         JOIN messages m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.direction = 'in'
        WHERE ci.tenant_id = $1 AND ci.channel = 'whatsapp' AND ci.external_user_id = $2`,
      [tenantId, phone],
    );
    const at = row?.at ? new Date(row.at) : null;
    return !!at && now.getTime() - at.getTime() < WHATSAPP_SESSION_HOURS * 3600_000;
  }
}
