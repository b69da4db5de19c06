import { Logger } from '@nestjs/common';
import { ConnectorError, describeZodError, type ChannelAccountRef, type WebhookRequest } from '@cs/contracts';
import type { ChannelAccount } from '@cs/persistence';
import type { ChannelAccountService } from '../../registry/channel-account.service';
import { SLACK_CONNECTOR_ID, slackSettingsSchema, type SlackSettings } from './slack.definition';
import { readSlackBody, teamIdsOf } from './slack.parse';
import { isSignedBySlack, rawBody } from './slack.signature';
import type { SocketAccount } from './slack.socket-mode';

/** Requests naming no known team are checked against at most this many accounts' secrets. */
const MAX_UNKNOWN_TEAM_CANDIDATES = 100;

export interface VerifiedAccount {
  ref: ChannelAccountRef;
  settings: SlackSettings;
}

/** Which Slack workspace (channel account) a request, a socket or a send belongs to. */
export class SlackAccounts {
  private readonly logger = new Logger(SlackAccounts.name);

  constructor(private readonly accounts: ChannelAccountService) {}

  /**
   * The account a request belongs to, proven by its signature. The account's public key is its
   * team id; a request naming no known team (Slack's URL check names none) is tried against every
   * active account's signing secret.
   */
  async resolve(req: WebhookRequest, ref: ChannelAccountRef | null): Promise<VerifiedAccount | null> {
    if (ref) return this.check(req, ref);
    const body = readSlackBody(rawBody(req), req.headers['content-type']);
    const candidates: ChannelAccount[] = [];
    for (const team of body ? teamIdsOf(body) : []) {
      const account = await this.accounts.findByPublicKey(SLACK_CONNECTOR_ID, team);
      if (account?.status === 'active' && !candidates.some((c) => c.id === account.id)) candidates.push(account);
    }
    if (!candidates.length) candidates.push(...(await this.accounts.listActive(SLACK_CONNECTOR_ID)).slice(0, MAX_UNKNOWN_TEAM_CANDIDATES));
    for (const account of candidates) {
      let candidate: ChannelAccountRef;
      try {
        candidate = this.accounts.toRef(account);
      } catch {
        continue;
      }
      const verified = this.check(req, candidate);
      if (verified) return verified;
    }
    return null;
  }

  /** An active account by id (a socket's, a typing event's), with its settings; null when gone. */
  async byId(id: string): Promise<VerifiedAccount | null> {
    const account = await this.accounts.findById(id);
    if (!account || account.status !== 'active') return null;
    const ref = this.accounts.toRef(account);
    return { ref, settings: settingsOf(ref) };
  }

  /** Accounts with an app-level token: they get a Socket Mode connection. */
  async socketAccounts(): Promise<SocketAccount[]> {
    const wanted: SocketAccount[] = [];
    for (const account of await this.accounts.listActive(SLACK_CONNECTOR_ID)) {
      try {
        const settings = slackSettingsSchema.safeParse(this.accounts.toRef(account).settings);
        if (settings.success && settings.data.appToken) wanted.push({ id: account.id, appToken: settings.data.appToken });
      } catch (err) {
        this.logger.warn(`slack account ${account.id}: ${(err as Error).message}`);
      }
    }
    return wanted;
  }

  markFailed(id: string, reason: string): Promise<void> {
    return this.accounts.markFailed(id, reason);
  }

  private check(req: WebhookRequest, ref: ChannelAccountRef): VerifiedAccount | null {
    const settings = slackSettingsSchema.safeParse(ref.settings);
    if (!settings.success) {
      this.logger.warn(`slack account ${ref.id} has invalid settings: ${describeZodError(settings.error)}`);
      return null;
    }
    const secret = settings.data.signingSecret;
    return secret && isSignedBySlack(req, secret) ? { ref, settings: settings.data } : null;
  }
}

/** Settings of an account about to be used; unusable settings are the account's AUTH problem. */
export function settingsOf(account: ChannelAccountRef): SlackSettings {
  const settings = slackSettingsSchema.safeParse(account.settings);
  if (!settings.success) throw new ConnectorError('AUTH', `invalid Slack settings: ${describeZodError(settings.error)}`);
  return settings.data;
}
