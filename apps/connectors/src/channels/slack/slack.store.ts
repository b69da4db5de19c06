import type { DataSource } from 'typeorm';
import { SLACK_CONNECTOR_ID } from './slack.definition';

/**
 * What Slack tells us about messages we already hold. Like a delivery status, an edit or a
 * deletion changes the stored row and needs no answer, so it does not go through the agent.
 */
export class SlackMessageStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The new text replaces the text parts; files stay. False when we never stored the message. */
  async applyEdit(tenantId: string, externalMessageId: string, text: string, at = new Date()): Promise<boolean> {
    const rows: { id: string; parts: { type: string }[] }[] = await this.dataSource.query(
      `SELECT id, parts FROM messages WHERE tenant_id = $1 AND connector_id = $2 AND external_message_id = $3 AND direction = 'in'`,
      [tenantId, SLACK_CONNECTOR_ID, externalMessageId],
    );
    if (!rows[0]) return false;
    const parts = [...(text ? [{ type: 'text', text }] : []), ...(rows[0].parts ?? []).filter((p) => p.type !== 'text')];
    await this.dataSource.query(
      `UPDATE messages SET text = $2, parts = $3::jsonb, channel_data = channel_data || $4::jsonb WHERE id = $1`,
      [rows[0].id, text, JSON.stringify(parts), JSON.stringify({ edited: true, editedAt: at.toISOString() })],
    );
    return true;
  }

  /** Kept for the record, marked deleted: the console shows it struck out. */
  async markDeleted(tenantId: string, externalMessageId: string, at = new Date()): Promise<boolean> {
    const result: unknown = await this.dataSource.query(
      `UPDATE messages SET channel_data = channel_data || $4::jsonb
        WHERE tenant_id = $1 AND connector_id = $2 AND external_message_id = $3`,
      [tenantId, SLACK_CONNECTOR_ID, externalMessageId, JSON.stringify({ deleted: true, deletedAt: at.toISOString() })],
    );
    // TypeORM answers an UPDATE on PostgreSQL with [rows, affected count].
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] > 0 : false;
  }

  /** The thread a stored message (the customer's or our answer) belongs to. */
  async threadOf(tenantId: string, externalMessageId: string): Promise<string | null> {
    const rows: { external_thread_id: string | null }[] = await this.dataSource.query(
      `SELECT c.external_thread_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.tenant_id = $1 AND m.connector_id = $2 AND m.external_message_id = $3 LIMIT 1`,
      [tenantId, SLACK_CONNECTOR_ID, externalMessageId],
    );
    return rows[0]?.external_thread_id ?? null;
  }
}
