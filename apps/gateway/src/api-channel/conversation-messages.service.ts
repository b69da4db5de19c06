import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import type { AuthorKind, MessagePart } from '@cs/contracts';
import { Conversation, Message } from '@cs/persistence';
import { AttachmentStore, type AttachmentView } from '@cs/storage';
import { withFileLinks } from '../common/file-links';

export interface ApiMessageView {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  authorKind: AuthorKind;
  text: string;
  parts: MessagePart[];
  /** The files of the message, each with a short-lived signed link (`url`, until `expiresAt`). */
  attachments: AttachmentView[];
  deliveryState: string;
  createdAt: string;
}

export interface MessagePage {
  conversationId: string;
  items: ApiMessageView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One conversation's messages for the API channel: the tenant's own only, private notes never. */
@Injectable()
export class ConversationMessagesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AttachmentStore) private readonly files: AttachmentStore,
  ) {}

  async list(tenantId: string, conversationId: string, after: string | undefined, limit: number): Promise<MessagePage> {
    const exists = await this.dataSource.getRepository(Conversation).exists({ where: { id: conversationId, tenantId } });
    if (!exists) throw new NotFoundException(`no conversation ${conversationId}`);
    const rows = await this.dataSource.getRepository(Message).find({
      where: { tenantId, conversationId, private: false, ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    const linked = await withFileLinks(this.files, tenantId, page);
    return {
      conversationId,
      items: linked.map((m) => ({
        id: m.id,
        conversationId: m.conversationId,
        direction: m.direction,
        authorKind: m.authorKind,
        text: m.text,
        parts: m.parts as MessagePart[],
        attachments: m.attachments,
        deliveryState: m.deliveryState,
        createdAt: new Date(m.createdAt).toISOString(),
      })),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }
}
