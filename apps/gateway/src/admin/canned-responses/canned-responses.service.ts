import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Brackets, DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { CannedResponse, Contact, Conversation } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import type { CannedResponseBody, ListCannedResponsesQuery, UpdateCannedResponseBody } from './dto/canned-response.dto';
import { fillPlaceholders } from './placeholders';

/** Canned responses of a tenant (issue 17), and each one filled in for a conversation. */
@Injectable()
export class CannedResponsesService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(tenantId: string, query: ListCannedResponsesQuery): Promise<Page<CannedResponse>> {
    const qb = this.db.manager
      .createQueryBuilder(CannedResponse, 'c')
      .where('c.tenant_id = :tenantId', { tenantId })
      .orderBy('c.shortcut', 'ASC')
      .limit(query.limit + 1);
    if (query.q) {
      const q = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      qb.andWhere(new Brackets((w) => w.where('c.shortcut ILIKE :q', { q }).orWhere('c.title ILIKE :q', { q })));
    }
    if (query.after) qb.andWhere('c.shortcut > :after', { after: decodeCursor(query.after, ['shortcut'] as const).shortcut });
    return pageOf(await qb.getMany(), query.limit, (row) => row, (row) => ({ shortcut: row.shortcut }));
  }

  async get(tenantId: string, id: string): Promise<CannedResponse> {
    const found = await this.db.manager.findOne(CannedResponse, { where: { id, tenantId } });
    if (!found) throw new NotFoundException('no such canned response');
    return found;
  }

  async create(caller: Principal, tenantId: string, body: CannedResponseBody): Promise<CannedResponse> {
    await this.assertShortcutFree(tenantId, body.shortcut);
    const saved = await this.db.manager.save(this.db.manager.create(CannedResponse, { id: newId(), tenantId, ...body }));
    await this.audit.record(caller, 'canned_response.create', { type: 'canned_response', id: saved.id }, { shortcut: saved.shortcut });
    return saved;
  }

  async update(caller: Principal, tenantId: string, id: string, body: UpdateCannedResponseBody): Promise<CannedResponse> {
    const found = await this.get(tenantId, id);
    if (body.shortcut && body.shortcut !== found.shortcut) await this.assertShortcutFree(tenantId, body.shortcut);
    const saved = await this.db.manager.save(Object.assign(found, body));
    await this.audit.record(caller, 'canned_response.update', { type: 'canned_response', id }, { fields: Object.keys(body) });
    return saved;
  }

  async remove(caller: Principal, tenantId: string, id: string): Promise<void> {
    const found = await this.get(tenantId, id);
    await this.db.manager.delete(CannedResponse, { id, tenantId });
    await this.audit.record(caller, 'canned_response.delete', { type: 'canned_response', id }, { shortcut: found.shortcut });
  }

  /** The response's text for this conversation: its contact, channel and the person who will send it. */
  async fill(caller: Principal, tenantId: string, conversationId: string, id: string): Promise<{ text: string; missing: string[] }> {
    const conversation = await this.db.manager.findOne(Conversation, { where: { id: conversationId, tenantId } });
    if (!conversation) throw new NotFoundException('no such conversation');
    const canned = await this.get(tenantId, id);
    const contact = await this.db.manager.findOne(Contact, { where: { id: conversation.contactId, tenantId } });
    return fillPlaceholders(canned.body, {
      'contact.name': contact?.name,
      'contact.email': contact?.email,
      'contact.phone': contact?.phone,
      'agent.name': caller.name,
      'conversation.id': conversation.id,
      'conversation.channel': conversation.channel,
      'conversation.subject': conversation.subject,
    });
  }

  private async assertShortcutFree(tenantId: string, shortcut: string): Promise<void> {
    if (await this.db.manager.exists(CannedResponse, { where: { tenantId, shortcut } })) {
      throw new ConflictException(`shortcut: "${shortcut}" is already used by another canned response`);
    }
  }
}
