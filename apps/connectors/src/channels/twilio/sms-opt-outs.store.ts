import type { DataSource } from 'typeorm';

/**
 * Whether a phone number opted out of our texts (STOP, or Twilio's error 21610): read by SMS before
 * every send and by voice before it texts a link or a voicemail confirmation. The opt-out itself is
 * written by the one writer of delivery state (`DeliveryRecorder.recordOptOut`), from what the SMS
 * connector returns.
 */
export class SmsOptOuts {
  constructor(private readonly dataSource: DataSource) {}

  /** `channel`: SMS by default; WhatsApp keeps its own opt-outs (a STOP there is about WhatsApp). */
  async isOptedOut(tenantId: string, phone: string, channel: 'sms' | 'whatsapp' = 'sms'): Promise<boolean> {
    const rows: { opted_out_at: Date | null }[] = await this.dataSource.query(
      `SELECT opted_out_at FROM contact_identities WHERE tenant_id = $1 AND channel = $3 AND external_user_id = $2`,
      [tenantId, phone, channel],
    );
    return !!rows[0]?.opted_out_at;
  }
}
