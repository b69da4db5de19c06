import { createHash } from 'crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { servedAs, sniffType } from './file-types';
import { objectKey, type ObjectStorage } from './object-storage';

export interface NewAttachment {
  /** Derived from the vendor's ids where the vendor may send the same file twice, so a retry stores it once. */
  id: string;
  tenantId: string;
  /** The name the sender gave, if any. */
  name: string | null;
  /** The type the sender claimed. */
  mimeType: string | null;
  content: Buffer;
  /** Set when the message is already stored (else `link` sets it once the message is). */
  messageId?: string | null;
  /** A file of the whole conversation, not of one message (a call recording). */
  conversationId?: string | null;
}

/** What a caller keeps of a stored file: enough for a message part. */
export interface StoredAttachment {
  id: string;
  name: string | null;
  mimeType: string;
  size: number;
}

/** An attachment as staff and exports list it, with a short-lived link to its bytes. */
export interface AttachmentView extends StoredAttachment {
  messageId: string | null;
  conversationId: string | null;
  url: string;
  expiresAt: string;
  createdAt: string;
}

interface Row {
  id: string;
  message_id: string | null;
  conversation_id: string | null;
  name: string | null;
  mime_type: string | null;
  detected_type: string | null;
  size: number;
  storage_key: string | null;
  created_at: Date | string;
}

const COLUMNS = 'id, message_id, conversation_id, name, mime_type, detected_type, size, storage_key, created_at';

/**
 * Attachments: the bytes in object storage, a row in `attachments` that names the object and the
 * message it came with. Every channel stores files through here; staff and exports read them
 * through short-lived signed links; erasure deletes the objects, then the rows.
 */
export class AttachmentStore {
  constructor(
    private readonly db: DataSource,
    private readonly storage: ObjectStorage,
    private readonly options: { linkTtlSeconds: number },
  ) {}

  /**
   * The row first, then the object: every object has a row naming it, so nothing in the store is
   * ever out of the orphan sweep's (OrphanFiles) sight. A crash in between leaves a row no message
   * names, maybe without its bytes: the retry (same id) writes them, or the sweep deletes the row
   * after the grace period. A file is tied to its message or conversation only once its bytes are
   * stored, so a message never names a file without them.
   */
  async save(file: NewAttachment): Promise<StoredAttachment> {
    const key = attachmentKey(file.tenantId, file.id);
    const detected = sniffType(file.content);
    const mimeType = detected ?? file.mimeType ?? 'application/octet-stream';
    await this.db.query(
      `INSERT INTO attachments (id, tenant_id, message_id, conversation_id, name, mime_type, detected_type, size, storage_key)
       VALUES ($1, $2, NULL, NULL, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [file.id, file.tenantId, file.name, mimeType, detected, file.content.length, key],
    );
    await this.storage.put(key, file.content, { contentType: servedAs(detected).contentType });
    if (file.messageId || file.conversationId) {
      await this.db.query(
        `UPDATE attachments SET message_id = COALESCE(message_id, $3), conversation_id = COALESCE(conversation_id, $4) WHERE id = $1 AND tenant_id = $2`,
        [file.id, file.tenantId, file.messageId ?? null, file.conversationId ?? null],
      );
    }
    return { id: file.id, name: file.name, mimeType, size: file.content.length };
  }

  /** Ties attachments stored before their message to it; attachments already tied to a message stay as they are. */
  async link(tenantId: string, messageId: string, attachmentIds: readonly string[], manager: EntityManager = this.db.manager): Promise<void> {
    const ids = attachmentIds.filter(isUuid);
    if (!ids.length) return;
    await manager.query(`UPDATE attachments SET message_id = $2 WHERE tenant_id = $1 AND id = ANY($3::uuid[]) AND message_id IS NULL`, [tenantId, messageId, ids]);
  }

  /** The attachments of these messages, each with a fresh signed link. */
  forMessages(tenantId: string, messageIds: readonly string[]): Promise<AttachmentView[]> {
    return this.viewsWhere('message_id', tenantId, messageIds);
  }

  /** The files of these conversations as a whole (call recordings), each with a fresh signed link. */
  forConversations(tenantId: string, conversationIds: readonly string[]): Promise<AttachmentView[]> {
    return this.viewsWhere('conversation_id', tenantId, conversationIds);
  }

  private async viewsWhere(column: 'message_id' | 'conversation_id', tenantId: string, ids: readonly string[]): Promise<AttachmentView[]> {
    if (!ids.length) return [];
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM attachments WHERE tenant_id = $1 AND ${column} = ANY($2::uuid[]) ORDER BY created_at, id`, [tenantId, ids]);
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** One attachment with a fresh signed link; null when the tenant has no such attachment. */
  async one(tenantId: string, id: string): Promise<AttachmentView | null> {
    if (!isUuid(id)) return null;
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM attachments WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ? this.view(rows[0]) : null;
  }

  /** The bytes of one attachment (exports), or null. */
  async content(tenantId: string, id: string): Promise<Buffer | null> {
    const rows: { storage_key: string | null }[] = await this.db.query(`SELECT storage_key FROM attachments WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0]?.storage_key ? this.storage.get(rows[0].storage_key) : null;
  }

  /** Deletes the objects behind these rows' keys (the caller deletes the rows in its transaction). */
  deleteObjects(keys: readonly string[]): Promise<void> {
    return this.storage.delete(keys.filter(Boolean));
  }

  /**
   * Rows from before object storage kept their bytes in `attachments.content`: moved to storage,
   * then the column emptied, a batch at a time. Returns how many were moved. Run by `npm run migrate`
   * and at the embedded mode's start; safe to run again or from two processes (each row moves once).
   */
  async moveLegacyContent(batch = 50): Promise<number> {
    let moved = 0;
    for (;;) {
      const rows: { id: string; tenant_id: string; mime_type: string | null; content: Buffer }[] = await this.db.query(
        `SELECT id, tenant_id, mime_type, content FROM attachments WHERE storage_key IS NULL AND content IS NOT NULL ORDER BY id LIMIT $1`,
        [batch],
      );
      if (!rows.length) return moved;
      for (const row of rows) {
        const key = attachmentKey(row.tenant_id, row.id);
        const detected = sniffType(row.content);
        await this.storage.put(key, row.content, { contentType: servedAs(detected).contentType });
        await this.db.query(`UPDATE attachments SET storage_key = $2, detected_type = $3, content = NULL WHERE id = $1 AND storage_key IS NULL`, [
          row.id,
          key,
          detected,
        ]);
        moved++;
      }
    }
  }

  private async view(row: Row): Promise<AttachmentView> {
    const served = servedAs(row.detected_type);
    const expiresAt = new Date(Date.now() + this.options.linkTtlSeconds * 1000);
    const url = row.storage_key
      ? await this.storage.signedUrl(row.storage_key, {
          expiresInSeconds: this.options.linkTtlSeconds,
          contentType: served.contentType,
          disposition: served.disposition,
          fileName: row.name ?? undefined,
        })
      : '';
    return {
      id: row.id,
      messageId: row.message_id,
      conversationId: row.conversation_id,
      name: row.name,
      mimeType: row.mime_type ?? 'application/octet-stream',
      size: Number(row.size),
      url,
      expiresAt: expiresAt.toISOString(),
      createdAt: new Date(row.created_at).toISOString(),
    };
  }
}

/** Where an attachment's bytes are kept. */
export function attachmentKey(tenantId: string, id: string): string {
  return objectKey('tenants', tenantId, 'attachments', id);
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/**
 * A UUID-shaped id derived from what names a file at its source (a mail and the attachment's
 * position, a Twilio MessageSid and media index, a widget session and the upload's client id), so a
 * retry of the same delivery stores the same row instead of a duplicate.
 */
export function derivedAttachmentId(...source: string[]): string {
  const h = createHash('sha256').update(source.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
