import type { EntityManager } from 'typeorm';
import { CHANNEL_PROFILES, newId } from '@cs/contracts';

export interface ContactIdentityInput {
  tenantId: string;
  channel: string;
  externalUserId: string;
  address?: string;
  displayName?: string;
}

export interface ResolvedContact {
  contactId: string;
  identityId: string;
  created: boolean;
}

/**
 * One contact per (tenant, channel, external user id). Race-safe without a lock: two messages from
 * a new sender handled at once both try the insert; the unique index lets one win and the other
 * reads the winner's row.
 */
export class ContactResolver {
  async resolve(manager: EntityManager, input: ContactIdentityInput): Promise<ResolvedContact> {
    const found = await this.find(manager, input);
    if (found) return { ...found, created: false };

    const contactId = newId();
    const identityId = newId();
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO contact_identities (id, tenant_id, contact_id, channel, external_user_id, address, display_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, channel, external_user_id) DO NOTHING
       RETURNING id`,
      [identityId, input.tenantId, contactId, input.channel, input.externalUserId, input.address ?? null, input.displayName ?? null],
    );
    if (inserted.length === 0) {
      const winner = await this.find(manager, input);
      if (!winner) throw new Error(`contact identity vanished for ${input.channel}:${input.externalUserId}`);
      return { ...winner, created: false };
    }
    const address = input.address ?? null;
    const email = input.channel === 'email' ? address : null;
    const phone = CHANNEL_PROFILES[input.channel as keyof typeof CHANNEL_PROFILES]?.addressKind === 'phone' ? address : null;
    await manager.query(
      `INSERT INTO contacts (id, tenant_id, name, email, phone) VALUES ($1, $2, $3, $4, $5)`,
      [contactId, input.tenantId, input.displayName ?? null, email, phone],
    );
    return { contactId, identityId, created: true };
  }

  private async find(manager: EntityManager, input: ContactIdentityInput): Promise<Omit<ResolvedContact, 'created'> | null> {
    const rows: { id: string; contact_id: string }[] = await manager.query(
      `SELECT id, contact_id FROM contact_identities WHERE tenant_id = $1 AND channel = $2 AND external_user_id = $3`,
      [input.tenantId, input.channel, input.externalUserId],
    );
    return rows[0] ? { contactId: rows[0].contact_id, identityId: rows[0].id } : null;
  }
}
