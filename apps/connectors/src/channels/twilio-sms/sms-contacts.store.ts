import type { DataSource } from 'typeorm';
import { DeliveryStatus } from '@cs/contracts';
import { ContactResolver } from '@cs/persistence';

/** How far along a message is; a late or repeated callback never moves a message back. */
const STATE_RANK: Record<string, number> = { pending: 0, sent: 1, delivered: 2, failed: 2, read: 3 };

/**
 * What the SMS channel keeps in the database itself: carrier opt-outs on the phone number's
 * contact identity (`opted_out_at`), and the delivery state Twilio's status callbacks report.
 */
export class SmsContactsStore {
  private readonly contacts = new ContactResolver();

  constructor(private readonly dataSource: DataSource) {}

  async setOptedOut(tenantId: string, phone: string, optedOut: boolean): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { identityId } = await this.contacts.resolve(m, { tenantId, channel: 'sms', externalUserId: phone, address: phone });
      await m.query(
        optedOut
          ? 'UPDATE contact_identities SET opted_out_at = COALESCE(opted_out_at, now()) WHERE id = $1'
          : 'UPDATE contact_identities SET opted_out_at = NULL WHERE id = $1',
        [identityId],
      );
    });
  }

  async isOptedOut(tenantId: string, phone: string): Promise<boolean> {
    const rows: { opted_out_at: Date | null }[] = await this.dataSource.query(
      `SELECT opted_out_at FROM contact_identities WHERE tenant_id = $1 AND channel = 'sms' AND external_user_id = $2`,
      [tenantId, phone],
    );
    return !!rows[0]?.opted_out_at;
  }

  /**
   * Moves our message to the state Twilio reports. The callback URL names our message id, so this
   * works even when Twilio calls back before the send's own bookkeeping has stored the SID.
   */
  async recordStatus(tenantId: string, status: DeliveryStatus): Promise<void> {
    const rank = STATE_RANK[status.state] ?? 0;
    const lower = Object.entries(STATE_RANK)
      .filter(([, r]) => r < rank)
      .map(([state]) => state);
    const where = status.messageId ? 'id = $1' : `external_message_id = $1 AND direction = 'out'`;
    await this.dataSource.query(
      `UPDATE messages SET delivery_state = $3, error_code = $4, error_message = $5,
              external_message_id = COALESCE(external_message_id, $6)
        WHERE ${where} AND tenant_id = $2 AND delivery_state = ANY($7)`,
      [
        status.messageId ?? status.externalMessageId,
        tenantId,
        status.state,
        status.errorCode ?? null,
        status.errorMessage ?? null,
        status.externalMessageId ?? null,
        lower,
      ],
    );
  }
}
