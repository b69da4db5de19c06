import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { ChannelAccountRef, ConnectorError } from '@cs/contracts';
import { ChannelAccount } from '@cs/persistence';
import { SECRET_KEY, SecretBox } from '@cs/config';

/**
 * Lookups happen on every inbound web-chat message and every outbound send; a short cache spares
 * the database. Admin changes made in another process are seen within this time.
 */
const CACHE_TTL_MS = 5_000;

/**
 * Finds channel accounts (by id, by a connector's public key, by tenant) and turns them into the
 * `ChannelAccountRef` a connector sees: settings merged with the decrypted secrets.
 */
@Injectable()
export class ChannelAccountService {
  private readonly logger = new Logger(ChannelAccountService.name);
  private readonly repo: Repository<ChannelAccount>;
  private readonly box: SecretBox | null;
  private readonly cache = new Map<string, { account: ChannelAccount; until: number }>();

  constructor(@Inject(DataSource) dataSource: DataSource, @Optional() @Inject(SECRET_KEY) secretKey?: Buffer) {
    this.repo = dataSource.getRepository(ChannelAccount);
    this.box = secretKey ? new SecretBox(secretKey) : null;
  }

  findById(id: string): Promise<ChannelAccount | null> {
    return this.cached(`id\u0000${id}`, () => this.repo.findOne({ where: { id } }));
  }

  findByPublicKey(connectorId: string, publicKey: string): Promise<ChannelAccount | null> {
    return this.cached(`pk\u0000${connectorId}\u0000${publicKey}`, () => this.repo.findOne({ where: { connectorId, publicKey } }));
  }

  /** The tenant's account on a connector; the oldest active one when there are several. */
  findForTenant(tenantId: string, connectorId: string): Promise<ChannelAccount | null> {
    // Every API-channel message asks this; cached like the other lookups (a disabled account stops within the TTL).
    return this.cached(`tenant\u0000${tenantId}\u0000${connectorId}`, () =>
      this.repo.findOne({ where: { tenantId, connectorId, status: 'active' }, order: { createdAt: 'ASC' } }),
    );
  }

  /** Every active account of a connector (polling connectors start one loop per account). */
  listActive(connectorId: string): Promise<ChannelAccount[]> {
    return this.repo.find({ where: { connectorId, status: 'active' }, order: { createdAt: 'ASC' } });
  }

  /** Settings plus decrypted secrets. Undecryptable secrets are an AUTH problem of the account. */
  toRef(account: ChannelAccount): ChannelAccountRef {
    let secrets: Record<string, unknown> = {};
    if (account.secretsEncrypted) {
      if (!this.box) throw new ConnectorError('AUTH', 'the channel has secrets but no SECRET_KEY is configured');
      try {
        secrets = this.box.open(account.secretsEncrypted);
      } catch (err) {
        this.logger.error(`channel account ${account.id}: secrets do not decrypt (${(err as Error).message})`);
        throw new ConnectorError('AUTH', 'the channel secrets cannot be decrypted with this SECRET_KEY');
      }
    }
    return {
      id: account.id,
      tenantId: account.tenantId,
      connectorId: account.connectorId,
      settings: { ...(account.settings ?? {}), ...secrets },
    };
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.repo.update({ id }, { status: 'failed', statusReason: reason.slice(0, 500) });
    this.forget(id);
  }

  private async cached(key: string, load: () => Promise<ChannelAccount | null>): Promise<ChannelAccount | null> {
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.account;
    const account = await load();
    // Only hits are cached, so a widget created a moment ago is found at once.
    if (account) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, { account, until: Date.now() + CACHE_TTL_MS });
    } else {
      this.cache.delete(key);
    }
    return account;
  }

  private forget(id: string): void {
    for (const [key, entry] of this.cache) if (entry.account.id === id) this.cache.delete(key);
  }
}
