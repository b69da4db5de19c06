import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import type { SecretBox } from '@cs/config';
import { SLACK_CONNECTOR_ID } from './slack.definition';

interface AccountRow {
  id: string;
  tenant_id: string;
  settings: Record<string, unknown>;
  secrets_encrypted: string | null;
  status: string;
}

/**
 * Bolt's InstallationStore on our own table: an OAuth install is a Slack channel account of the
 * tenant that started it (the install `metadata`), keyed by team id, its bot token sealed with
 * SECRET_KEY. Being a channel account, it shows in the console with its status and reason.
 */
export class SlackInstallationStore implements InstallationStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    /** The app's signing secret, kept with each install so events from it verify like any account's. */
    private readonly signingSecret: string,
  ) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>): Promise<void> {
    const tenantId = installation.metadata;
    const teamId = installation.team?.id;
    if (!tenantId) throw new Error('the install did not start from a tenant (no metadata)');
    if (!teamId || installation.isEnterpriseInstall) throw new Error('only workspace installs are supported, not org-wide ones');
    if (!installation.bot) throw new Error('the install granted no bot token');
    const settings = {
      teamId,
      teamName: installation.team?.name,
      botUserId: installation.bot.userId,
      botId: installation.bot.id,
      appId: installation.appId,
      scopes: installation.bot.scopes,
      installedBy: installation.user.id,
      supportChannels: [],
      internalChannels: [],
    };
    const secrets = this.box.seal({ botToken: installation.bot.token, signingSecret: this.signingSecret });
    await this.dataSource.transaction(async (m) => {
      const rows: AccountRow[] = await m.query(
        `SELECT id, tenant_id, settings, secrets_encrypted, status FROM channel_accounts WHERE connector_id = $1 AND public_key = $2 FOR UPDATE`,
        [SLACK_CONNECTOR_ID, teamId],
      );
      const existing = rows[0];
      if (existing && existing.tenant_id !== tenantId) throw new Error(`workspace ${teamId} is already connected to another account`);
      if (existing) {
        // A reinstall brings the account back, keeping the channels the admin named.
        const kept = { supportChannels: existing.settings.supportChannels ?? [], internalChannels: existing.settings.internalChannels ?? [] };
        await m.query(
          `UPDATE channel_accounts SET settings = $2, secrets_encrypted = $3, status = 'active', status_reason = NULL, updated_at = now() WHERE id = $1`,
          [existing.id, JSON.stringify({ ...settings, ...kept }), secrets],
        );
      } else {
        await m.query(
          `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted, public_key, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'active')`,
          [newId(), tenantId, SLACK_CONNECTOR_ID, `Slack: ${installation.team?.name ?? teamId}`, JSON.stringify(settings), secrets, teamId],
        );
      }
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v2', false>> {
    const row = await this.find(query);
    if (!row || row.status !== 'active' || !row.secrets_encrypted) throw new Error(`no active Slack install for team ${query.teamId ?? '?'}`);
    const secrets = this.box.open(row.secrets_encrypted) as { botToken: string };
    const s = row.settings as { teamId: string; teamName?: string; botUserId: string; botId: string; appId?: string; scopes?: string[]; installedBy?: string };
    return {
      team: { id: s.teamId, name: s.teamName },
      enterprise: undefined,
      user: { id: s.installedBy ?? '', token: undefined, scopes: undefined },
      bot: { token: secrets.botToken, userId: s.botUserId, id: s.botId, scopes: s.scopes ?? [] },
      appId: s.appId,
      tokenType: 'bot',
      isEnterpriseInstall: false,
      authVersion: 'v2',
      metadata: row.tenant_id,
    };
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const row = await this.find(query);
    if (row) await this.dataSource.query(`UPDATE channel_accounts SET status = 'disabled', status_reason = $2, updated_at = now() WHERE id = $1`, [row.id, 'the Slack install was removed']);
  }

  private async find(query: InstallationQuery<boolean>): Promise<AccountRow | undefined> {
    if (!query.teamId) return undefined;
    const rows: AccountRow[] = await this.dataSource.query(
      `SELECT id, tenant_id, settings, secrets_encrypted, status FROM channel_accounts WHERE connector_id = $1 AND public_key = $2`,
      [SLACK_CONNECTOR_ID, query.teamId],
    );
    return rows[0];
  }
}
