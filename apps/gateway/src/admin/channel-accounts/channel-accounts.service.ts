import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { SECRET_KEY, SecretBox } from '@cs/config';
import { ValidationFailed, newId } from '@cs/contracts';
import { ChannelAccount } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ConnectorCatalogClient } from './connector-catalog.client';
import type { ChannelAccountView, CreateChannelAccountBody, UpdateChannelAccountBody } from './dto/channel-account.dto';

/** A tenant's accounts on its channels. Secrets go in sealed and never come back out. */
@Injectable()
export class ChannelAccountsService {
  private readonly box: SecretBox;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SECRET_KEY) secretKey: Buffer,
    private readonly catalog: ConnectorCatalogClient,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(secretKey);
  }

  async list(tenantId: string): Promise<{ items: ChannelAccountView[] }> {
    const rows = await this.db.manager.find(ChannelAccount, { where: { tenantId }, order: { createdAt: 'ASC' } });
    return { items: rows.map((row) => this.view(row)) };
  }

  async get(tenantId: string, id: string): Promise<ChannelAccountView> {
    return this.view(await this.find(tenantId, id));
  }

  async create(caller: Principal, tenantId: string, body: CreateChannelAccountBody): Promise<ChannelAccountView> {
    const prepared = await this.prepare(body.connectorId, body.settings);
    const publicKey = this.publicKeyOf(prepared, body.publicKey) ?? (body.connectorId === 'webchat' ? `wk_${randomBytes(12).toString('base64url')}` : null);
    await this.assertPublicKeyFree(body.connectorId, publicKey, null);
    const row = this.db.manager.create(ChannelAccount, {
      id: newId(),
      tenantId,
      connectorId: body.connectorId,
      name: body.name,
      settings: prepared.settings,
      secretsEncrypted: prepared.secretsEncrypted,
      publicKey,
      status: 'active',
      statusReason: null,
    });
    await this.db.manager.save(row);
    await this.audit.record(caller, 'channel_account.create', { type: 'channel_account', id: row.id }, { connectorId: row.connectorId });
    return this.view(row);
  }

  async update(caller: Principal, tenantId: string, id: string, body: UpdateChannelAccountBody): Promise<ChannelAccountView> {
    const row = await this.find(tenantId, id);
    if (body.settings) {
      const current = { ...row.settings, ...(row.secretsEncrypted ? this.box.open(row.secretsEncrypted) : {}) };
      const prepared = await this.prepare(row.connectorId, { ...current, ...body.settings });
      row.settings = prepared.settings;
      row.secretsEncrypted = prepared.secretsEncrypted;
      if (prepared.publicKey) {
        const publicKey = this.publicKeyOf(prepared, body.publicKey ?? undefined)!;
        await this.assertPublicKeyFree(row.connectorId, publicKey, row.id);
        row.publicKey = publicKey;
      }
    }
    if (body.publicKey !== undefined && row.publicKey !== body.publicKey) {
      await this.assertPublicKeyFree(row.connectorId, body.publicKey, row.id);
      row.publicKey = body.publicKey;
    }
    if (body.name) row.name = body.name;
    if (body.status) {
      row.status = body.status;
      row.statusReason = null;
    }
    await this.db.manager.save(row);
    await this.audit.record(caller, 'channel_account.update', { type: 'channel_account', id }, { fields: Object.keys(body), settings: Object.keys(body.settings ?? {}) });
    return this.view(row);
  }

  async remove(caller: Principal, tenantId: string, id: string): Promise<void> {
    await this.find(tenantId, id);
    await this.db.manager.delete(ChannelAccount, { id, tenantId });
    await this.audit.record(caller, 'channel_account.delete', { type: 'channel_account', id });
  }

  async test(tenantId: string, id: string): Promise<{ ok: boolean; detail?: string }> {
    await this.find(tenantId, id);
    return this.catalog.test(tenantId, id);
  }

  private async prepare(connectorId: string, settings: Record<string, unknown>) {
    const reply = await this.catalog.prepare(connectorId, settings);
    if (reply.ok) return reply;
    if (reply.status === 404) throw new ValidationFailed([{ path: 'connectorId', message: reply.error }]);
    if (reply.status === 400) throw new BadRequestException(`settings: ${reply.error}`);
    throw new Error(`the connectors app could not prepare the settings: ${reply.error}`);
  }

  /** A connector that derives its public key (Slack: the team id) decides it; a different one given is refused, naming the field. */
  private publicKeyOf(prepared: { publicKey?: string }, given: string | undefined): string | undefined {
    if (!prepared.publicKey) return given;
    if (given !== undefined && given !== prepared.publicKey) {
      throw new ValidationFailed([{ path: 'publicKey', message: `must be the team id of the settings (${prepared.publicKey}), or left out` }]);
    }
    return prepared.publicKey;
  }

  private async assertPublicKeyFree(connectorId: string, publicKey: string | null, ownId: string | null): Promise<void> {
    if (!publicKey) return;
    const other = await this.db.manager.findOne(ChannelAccount, { where: { connectorId, publicKey } });
    if (other && other.id !== ownId) throw new ConflictException('another account of this connector already uses this public key');
  }

  private async find(tenantId: string, id: string): Promise<ChannelAccount> {
    const row = await this.db.manager.findOne(ChannelAccount, { where: { id, tenantId } });
    if (!row) throw new NotFoundException('no such channel account');
    return row;
  }

  private view(row: ChannelAccount): ChannelAccountView {
    let secretFields: string[] = [];
    try {
      secretFields = row.secretsEncrypted ? Object.keys(this.box.open(row.secretsEncrypted)) : [];
    } catch {
      // Sealed with another SECRET_KEY: the account needs its secrets entered again, which the status says.
      secretFields = [];
    }
    return {
      id: row.id,
      connectorId: row.connectorId,
      name: row.name,
      settings: row.settings,
      secretFields,
      publicKey: row.publicKey,
      status: row.status,
      statusReason: row.statusReason,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}
