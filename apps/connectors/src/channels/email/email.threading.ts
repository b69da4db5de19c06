import type { DataSource } from 'typeorm';

/**
 * The subject token: the last 8 hex digits of the conversation id. UUIDv7 ids start with the
 * timestamp, so the head would repeat for conversations created in the same minute; the tail is random.
 */
export function conversationToken(conversationId: string): string {
  return conversationId.replace(/-/g, '').slice(-8).toLowerCase();
}

export function tokenInSubject(subject: string): string | null {
  return subject.match(/\[#([0-9a-f]{8})\]/i)?.[1]?.toLowerCase() ?? null;
}

/**
 * `Re: <original subject> [#token]`, without piling up `Re:`/`AW:`/`Fwd:` prefixes or tokens;
 * `untitled` stands in for an empty subject.
 */
export function replySubject(original: string | null | undefined, conversationId: string, untitled: string): string {
  let base = (original ?? '').replace(/\[#[0-9a-f]{8}\]/gi, ' ');
  for (let prev = ''; prev !== base; ) {
    prev = base;
    base = base.trim().replace(/^(re|aw|sv|antw|fw|fwd|wg|tr)(\[\d+\])?\s*:\s*/i, '');
  }
  base = base.replace(/\s+/g, ' ').trim() || untitled;
  return `Re: ${base} [#${conversationToken(conversationId)}]`;
}

export interface ThreadMatch {
  conversationId?: string;
  externalThreadId: string;
  threadedBy: 'references' | 'subject-token' | 'new';
}

/** Max Message-IDs looked up per mail: References can grow long in old threads; the newest matter. */
const MAX_REFERENCES = 30;

/**
 * Finds the conversation an inbound mail continues. Only conversations of the same contact are
 * candidates — a forwarded thread or a guessed token never merges two people's conversations.
 */
export class EmailThreadResolver {
  constructor(private readonly dataSource: DataSource) {}

  async resolve(
    tenantId: string,
    senderAddress: string,
    mail: { messageId: string | null; externalMessageId: string; inReplyTo: string[]; references: string[]; subject: string },
  ): Promise<ThreadMatch> {
    const fresh: ThreadMatch = { externalThreadId: mail.externalMessageId, threadedBy: 'new' };
    const contactIds = await this.contactIds(tenantId, senderAddress);
    if (!contactIds.length) return fresh;

    const ids = [...new Set([...mail.inReplyTo, ...[...mail.references].reverse()])].slice(0, MAX_REFERENCES);
    if (ids.length) {
      const rows: { id: string; external_thread_id: string | null }[] = await this.dataSource.query(
        `SELECT c.id, c.external_thread_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
          WHERE m.tenant_id = $1 AND c.tenant_id = $1 AND c.channel = $2
            AND c.contact_id IN (${placeholders(contactIds.length, 3)})
            AND m.external_message_id IN (${placeholders(ids.length, 3 + contactIds.length)})
          ORDER BY m.id DESC LIMIT 1`,
        [tenantId, 'email', ...contactIds, ...ids],
      );
      if (rows[0]) return { conversationId: rows[0].id, externalThreadId: rows[0].external_thread_id ?? fresh.externalThreadId, threadedBy: 'references' };
    }

    const token = tokenInSubject(mail.subject);
    if (token) {
      const rows: { id: string; external_thread_id: string | null }[] = await this.dataSource.query(
        `SELECT id, external_thread_id FROM conversations
          WHERE tenant_id = $1 AND channel = $2 AND contact_id IN (${placeholders(contactIds.length, 4)})
            AND right(replace(id::text, '-', ''), 8) = $3
          ORDER BY id DESC LIMIT 1`,
        [tenantId, 'email', token, ...contactIds],
      );
      if (rows[0]) return { conversationId: rows[0].id, externalThreadId: rows[0].external_thread_id ?? fresh.externalThreadId, threadedBy: 'subject-token' };
    }
    return fresh;
  }

  /** Contacts known under this address (normally one; a merge may have left several identities). */
  private async contactIds(tenantId: string, address: string): Promise<string[]> {
    const rows: { contact_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT contact_id FROM contact_identities WHERE tenant_id = $1 AND channel = $2 AND lower(external_user_id) = $3`,
      [tenantId, 'email', address.toLowerCase()],
    );
    return rows.map((r) => r.contact_id);
  }
}

function placeholders(count: number, first: number): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');
}
