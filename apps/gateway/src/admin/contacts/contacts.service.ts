import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ValidationFailed } from '@cs/contracts';
import { Contact, ContactIdentity, Conversation } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import type { ListContactsQuery, UpdateContactBody } from './dto/contact.dto';

/** One person across channels: their identities (widget session, email address, phone...) and conversations. */
@Injectable()
export class ContactsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(tenantId: string, query: ListContactsQuery): Promise<Page<Contact>> {
    const qb = this.db.manager.createQueryBuilder(Contact, 'c').where('c.tenant_id = :tenantId', { tenantId }).orderBy('c.id', 'DESC').limit(query.limit + 1);
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      qb.andWhere(
        `(c.name ILIKE :like OR c.email ILIKE :like OR c.phone ILIKE :like OR EXISTS (
           SELECT 1 FROM contact_identities i WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.id
             AND (i.address ILIKE :like OR i.display_name ILIKE :like OR i.external_user_id ILIKE :like)))`,
        { like },
      );
    }
    if (query.after) qb.andWhere('c.id < :after', { after: decodeCursor(query.after, ['id'] as const).id });
    return pageOf(await qb.getMany(), query.limit, (row) => row, (row) => ({ id: row.id }));
  }

  async detail(tenantId: string, id: string) {
    const contact = await this.find(this.db.manager, tenantId, id);
    const identities = await this.db.manager.find(ContactIdentity, { where: { tenantId, contactId: id }, order: { createdAt: 'ASC' } });
    const conversations = await this.db.manager.find(Conversation, {
      where: { tenantId, contactId: id },
      order: { createdAt: 'DESC' },
      select: { id: true, channel: true, status: true, subject: true, lastMessageAt: true, createdAt: true },
    });
    return { ...contact, identities, conversations };
  }

  async update(caller: Principal, tenantId: string, id: string, body: UpdateContactBody): Promise<Contact> {
    return this.db.transaction(async (manager) => {
      const contact = await this.find(manager, tenantId, id);
      Object.assign(contact, body);
      await manager.update(Contact, { id, tenantId }, body);
      await this.audit.record(caller, 'contact.update', { type: 'contact', id }, { fields: Object.keys(body) }, manager);
      return contact;
    });
  }

  /**
   * The duplicate's identities and conversations become the survivor's; its blank fields are filled
   * from the duplicate. One transaction, both contacts locked first in id order: two merges of the
   * same pair (either way round) run one after the other, and the second finds its contact gone,
   * rather than deadlock half-way.
   */
  async merge(caller: Principal, tenantId: string, id: string, duplicateId: string) {
    await this.db.transaction(async (manager) => {
      await manager.query('SELECT id FROM contacts WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [tenantId, [id, duplicateId]]);
      const survivor = await this.find(manager, tenantId, id);
      if (duplicateId === id) throw new ValidationFailed([{ path: 'contactId', message: 'a contact cannot be merged into itself' }]);
      const duplicate = await manager.findOne(Contact, { where: { id: duplicateId, tenantId } });
      if (!duplicate) throw new ValidationFailed([{ path: 'contactId', message: 'no contact of this tenant has this id' }]);
      const filled = {
        name: survivor.name ?? duplicate.name,
        email: survivor.email ?? duplicate.email,
        phone: survivor.phone ?? duplicate.phone,
        company: survivor.company ?? duplicate.company,
      };
      await manager.update(Contact, { id, tenantId }, filled);
      await manager.update(ContactIdentity, { tenantId, contactId: duplicateId }, { contactId: id });
      await manager.update(Conversation, { tenantId, contactId: duplicateId }, { contactId: id });
      await manager.delete(Contact, { id: duplicateId, tenantId });
      await this.audit.record(caller, 'contact.merge', { type: 'contact', id }, { merged: duplicateId }, manager);
    });
    return this.detail(tenantId, id);
  }

  async find(manager: EntityManager, tenantId: string, id: string): Promise<Contact> {
    const contact = await manager.findOne(Contact, { where: { id, tenantId } });
    if (!contact) throw new NotFoundException('no such contact');
    return contact;
  }
}
