import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Contact, ContactIdentity, Conversation, Message } from '@cs/persistence';
import { AttachmentStore } from '@cs/storage';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';

/**
 * GDPR: export everything stored about a contact, or erase it. Erasing keeps the rows of messages
 * and conversations (so volumes and resolution rates stay true) but blanks every field that could
 * hold what the person wrote or who they are, and deletes their identities and their files (from
 * object storage, then their rows).
 */
@Injectable()
export class ContactPrivacyService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(AttachmentStore) private readonly files: AttachmentStore,
  ) {}

  async export(caller: Principal, tenantId: string, id: string) {
    const manager = this.db.manager;
    const contact = await manager.findOne(Contact, { where: { id, tenantId } });
    if (!contact) throw new NotFoundException('no such contact');
    const identities = await manager.find(ContactIdentity, { where: { tenantId, contactId: id } });
    const conversations = await manager.find(Conversation, { where: { tenantId, contactId: id }, order: { createdAt: 'ASC' } });
    const ids = conversations.map((c) => c.id);
    const messages = ids.length
      ? await manager.createQueryBuilder(Message, 'm').where('m.tenant_id = :tenantId AND m.conversation_id IN (:...ids)', { tenantId, ids }).orderBy('m.id').getMany()
      : [];
    // The person's files themselves, not only their names: each with its bytes (base64) and a short-lived link.
    const shared = messages.filter((m) => !m.private).map((m) => m.id);
    const attachments = await Promise.all(
      (await this.files.forMessages(tenantId, shared)).map(async (a) => ({ ...a, contentBase64: (await this.files.content(tenantId, a.id))?.toString('base64') ?? null })),
    );
    await this.audit.record(caller, 'contact.export', { type: 'contact', id });
    return {
      exportedAt: new Date().toISOString(),
      contact,
      identities,
      conversations: conversations.map((c) => ({
        ...c,
        // Private notes are the team's, not the person's data.
        messages: messages.filter((m) => m.conversationId === c.id && !m.private),
      })),
      attachments,
    };
  }

  async erase(caller: Principal, tenantId: string, id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const contact = await manager.findOne(Contact, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!contact) throw new NotFoundException('no such contact');
      const inConversations = `conversation_id IN (SELECT id FROM conversations WHERE tenant_id = $1 AND contact_id = $2)`;
      const deleted: [{ storage_key: string | null }[], number] = await manager.query(
        `DELETE FROM attachments WHERE tenant_id = $1 AND message_id IN (SELECT id FROM messages WHERE tenant_id = $1 AND ${inConversations})
         RETURNING storage_key`,
        [tenantId, id],
      );
      // The bytes go before the rows commit: if storage fails, nothing is erased and the request can be
      // repeated; the other way round, objects no row names would outlive the erasure.
      // (TypeORM answers a DELETE with [rows, count].)
      await this.files.deleteObjects(deleted[0].map((f) => f.storage_key).filter((k): k is string => !!k));
      await manager.query(
        `UPDATE messages SET text = '', parts = '[]', channel_data = '{}', trace = NULL, error_message = NULL, external_message_id = NULL
          WHERE tenant_id = $1 AND ${inConversations}`,
        [tenantId, id],
      );
      await manager.query(
        `UPDATE conversations SET subject = NULL, summary = NULL, channel_data = '{}', external_thread_id = NULL WHERE tenant_id = $1 AND contact_id = $2`,
        [tenantId, id],
      );
      await manager.delete(ContactIdentity, { tenantId, contactId: id });
      await manager.update(Contact, { id, tenantId }, { name: null, email: null, phone: null, company: null });
      await this.audit.record(caller, 'contact.erase', { type: 'contact', id }, {}, manager);
    });
  }
}
