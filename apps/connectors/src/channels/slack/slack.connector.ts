import { createHmac } from 'crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  BusSubjects,
  describeZodError,
  type ChannelAccountRef,
  type ChannelConnector,
  type InboundMessage,
  type OutboundMessage,
  type ReceivedWebhook,
  type SendResult,
  type WebhookRequest,
  type WebhookResponse,
} from '@cs/contracts';
import { APP_CONFIG, SECRET_KEY, type ConnectorsEnv } from '@cs/config';
import { BUS, type Bus, type Subscription } from '@cs/messaging';
import { ChannelAccountService } from '../../registry/channel-account.service';
import { InboundPublisher } from '../../registry/inbound-publisher.service';
import { SlackAccounts, settingsOf, type VerifiedAccount } from './slack.accounts';
import { SLACK_CONNECTOR_ID, slackDefinition, slackSettingsSchema } from './slack.definition';
import { SlackInstaller } from './slack.install';
import { messageKey, parseSlackEvent, parseSlackInteraction, reactionToInbound, readSlackBody, type SlackAccountContext, type SlackInbound } from './slack.parse';
import { slackEnvelopeSchema } from './slack.payloads';
import { SlackSender } from './slack.send';
import { rawBody } from './slack.signature';
import { SlackSocketMode } from './slack.socket-mode';
import { SlackMessageStore } from './slack.store';

const USER_TEAM_TTL_MS = 60 * 60_000;
/** Socket Mode accounts added or changed in the console are picked up within this time. */
const SOCKET_REFRESH_MS = 60_000;

/**
 * Slack Connect: customers in channels shared with their workspace. Events and button clicks come
 * through the gateway's webhook bridge (`/hooks/slack/events`, `/hooks/slack/interactions`, or
 * `/hooks/slack/<channel account id>/...`); answers go out with Bolt's Web API client.
 */
@Injectable()
export class SlackConnector implements ChannelConnector, OnModuleInit, OnModuleDestroy {
  readonly definition = slackDefinition;
  private readonly logger = new Logger(SlackConnector.name);
  private readonly sender: SlackSender;
  private readonly store: SlackMessageStore;
  private readonly slackAccounts: SlackAccounts;
  /** verify() and receive() see the same request object: the account found once serves both. */
  private readonly verified = new WeakMap<WebhookRequest, VerifiedAccount>();
  private readonly userTeams = new Map<string, { team: string; until: number }>();
  /** Only when the service runs its own Slack app for OAuth installs (SLACK_CLIENT_ID and friends). */
  private readonly installer: SlackInstaller | null = null;
  private readonly socketMode: SlackSocketMode;
  private socketTimer: NodeJS.Timeout | null = null;
  private typing?: Subscription;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) dataSource: DataSource,
    accounts: ChannelAccountService,
    private readonly publisher: InboundPublisher,
    @Optional() @Inject(APP_CONFIG) config?: Partial<ConnectorsEnv>,
    @Optional() @Inject(SECRET_KEY) secretKey?: Buffer,
  ) {
    this.sender = new SlackSender(config?.SLACK_API_URL);
    this.slackAccounts = new SlackAccounts(accounts);
    this.store = new SlackMessageStore(dataSource);
    this.socketMode = new SlackSocketMode(config?.SLACK_API_URL, (accountId, type, body) => this.onSocketEnvelope(accountId, type, body));
    const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret, SLACK_SIGNING_SECRET: signingSecret } = config ?? {};
    if (clientId && clientSecret && signingSecret && secretKey) {
      const stateSecret = config?.SLACK_STATE_SECRET ?? createHmac('sha256', secretKey).update('slack-oauth-state').digest('hex');
      this.installer = new SlackInstaller({ clientId, clientSecret, signingSecret, stateSecret, apiUrl: config?.SLACK_API_URL }, dataSource, secretKey);
    }
  }

  onModuleInit(): void {
    // Its own queue group: every typing event reaches one Slack connector and one web chat connector.
    this.typing = this.bus.on(
      BusSubjects.convTypingAll(),
      (payload) => {
        this.onTyping(payload).catch((err: Error) => this.logger.warn(`typing indicator failed: ${err.message}`));
      },
      'connectors-slack-typing',
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.typing?.unsubscribe().catch(() => undefined);
  }

  /** Socket Mode: one socket per account that has an app-level token (accounts without one use HTTP). */
  async start(): Promise<void> {
    if (this.socketTimer) return;
    // A refresh that fails (the database is down) is logged and tried again on the next tick; unhandled, it would end the process.
    this.socketTimer = setInterval(
      () => void this.refreshSockets().catch((err: Error) => this.logger.warn(`refreshing Slack sockets failed, retried in ${SOCKET_REFRESH_MS / 1000} s: ${err.message}`)),
      SOCKET_REFRESH_MS,
    );
    this.socketTimer.unref();
    await this.refreshSockets();
  }

  async stop(): Promise<void> {
    if (this.socketTimer) clearInterval(this.socketTimer);
    this.socketTimer = null;
    await this.socketMode.stop();
  }

  private async refreshSockets(): Promise<void> {
    await this.socketMode.sync(await this.slackAccounts.socketAccounts());
  }

  /** An envelope from the socket: the same parsing as HTTP, published before Slack gets its ack. */
  private async onSocketEnvelope(accountId: string, type: string, body: unknown): Promise<void> {
    const verified = await this.slackAccounts.byId(accountId);
    if (!verified) return;
    const ctx: SlackAccountContext = { channelAccountId: verified.ref.id, settings: verified.settings };
    let result: SlackInbound;
    if (type === 'events_api') {
      const envelope = slackEnvelopeSchema.safeParse(body);
      if (!envelope.success) return;
      result = parseSlackEvent(envelope.data, ctx);
    } else if (type === 'interactive') {
      result = parseSlackInteraction(body, ctx);
    } else {
      return;
    }
    const message = await this.settle(result, verified, ctx);
    if (message) await this.publisher.publishInbound(verified.ref.tenantId, message);
  }

  async verify(req: WebhookRequest, ref: ChannelAccountRef | null): Promise<boolean> {
    // The install pages are opened by a browser, not signed by Slack: the ticket and the OAuth state protect them.
    if (this.installer?.handles(req)) return true;
    const account = await this.slackAccounts.resolve(req, ref);
    if (account) this.verified.set(req, account);
    return !!account;
  }

  /** Besides the message: stores edits and deletions, marks an uninstalled account failed, answers OAuth installs. */
  async receive(req: WebhookRequest, ref: ChannelAccountRef | null): Promise<ReceivedWebhook> {
    if (this.installer?.handles(req)) return { messages: [], statuses: [], response: await this.installer.handle(req) };
    const account = this.verified.get(req) ?? (await this.slackAccounts.resolve(req, ref));
    if (!account) return reply(401, 'signature verification failed');
    const body = readSlackBody(rawBody(req), req.headers['content-type']);
    if (!body) return reply(400, 'not a Slack event or interaction');
    const ctx: SlackAccountContext = { channelAccountId: account.ref.id, settings: account.settings };
    const result = body.kind === 'event' ? parseSlackEvent(body.envelope, ctx) : parseSlackInteraction(body.payload, ctx);
    if (result.kind === 'challenge') {
      return { messages: [], statuses: [], response: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: result.challenge }) } };
    }
    const message = await this.settle(result, account, ctx);
    return { messages: message ? [message] : [], statuses: [], response: { status: 200, body: '' } };
  }

  async send(message: OutboundMessage, account: ChannelAccountRef): Promise<SendResult> {
    return this.sender.post(settingsOf(account).botToken, message);
  }

  /** The console's "test" button: is the token good, and for which workspace. */
  async testConnection(account: ChannelAccountRef): Promise<{ ok: boolean; detail?: string }> {
    const parsed = slackSettingsSchema.safeParse(account.settings);
    if (!parsed.success) return { ok: false, detail: describeZodError(parsed.error) };
    try {
      const auth = await this.sender.client(parsed.data.botToken).auth.test();
      if (auth.team_id && auth.team_id !== parsed.data.teamId) return { ok: false, detail: `the token belongs to team ${auth.team_id}, not ${parsed.data.teamId}` };
      return { ok: true, detail: `connected to ${auth.team ?? auth.team_id} as ${auth.user ?? 'the bot'}` };
    } catch (err) {
      return { ok: false, detail: (err as { data?: { error?: string } }).data?.error ?? (err as Error).message };
    }
  }

  /** Turns what was parsed into at most one inbound message, storing edits and deletions directly. */
  private async settle(result: SlackInbound, account: VerifiedAccount, ctx: SlackAccountContext): Promise<InboundMessage | null> {
    const tenantId = account.ref.tenantId;
    switch (result.kind) {
      case 'message':
        return result.message;
      case 'edit':
        await this.store.applyEdit(tenantId, result.externalMessageId, result.text);
        return null;
      case 'delete':
        await this.store.markDeleted(tenantId, result.externalMessageId);
        return null;
      case 'uninstalled':
        // The admin sees the account as failed with the reason; replies stop until it is reinstalled.
        this.logger.warn(`slack account ${account.ref.id}: ${result.reason}`);
        await this.slackAccounts.markFailed(account.ref.id, result.reason);
        return null;
      case 'reaction': {
        // Only staff resolve with ✅; a customer's ✅ is just an emoji.
        const team = await this.teamOf(account.settings.botToken, result.user);
        if (team !== account.settings.teamId) return null;
        const key = messageKey(result.channel, result.ts);
        const thread = (await this.store.threadOf(tenantId, key)) ?? key;
        return reactionToInbound(result, thread, ctx);
      }
      default:
        return null;
    }
  }

  /** users.info, cached: reaction events do not say which team the reacting user is in. */
  private async teamOf(token: string, user: string): Promise<string | null> {
    const hit = this.userTeams.get(user);
    if (hit && hit.until > Date.now()) return hit.team;
    try {
      const info = await this.sender.client(token).users.info({ user });
      const team = info.user?.team_id;
      if (!team) return null;
      if (this.userTeams.size > 10_000) this.userTeams.clear();
      this.userTeams.set(user, { team, until: Date.now() + USER_TEAM_TTL_MS });
      return team;
    } catch (err) {
      this.logger.warn(`users.info ${user}: ${(err as { data?: { error?: string } }).data?.error ?? (err as Error).message}`);
      return null;
    }
  }

  /** The agent started on an answer: 👀 on the customer's message until the answer is posted. */
  private async onTyping(payload: unknown): Promise<void> {
    const event = (payload ?? {}) as { connectorId?: string; channelAccountId?: string; externalThreadId?: string; externalMessageId?: string };
    if (event.connectorId !== SLACK_CONNECTOR_ID || !event.channelAccountId) return;
    const target = event.externalMessageId ?? event.externalThreadId;
    if (!target) return;
    try {
      const account = await this.slackAccounts.byId(event.channelAccountId);
      if (account) await this.sender.startWorking(account.settings.botToken, target);
    } catch (err) {
      this.logger.warn(`could not show the working reaction: ${(err as Error).message}`);
    }
  }
}

function reply(status: number, body: string): ReceivedWebhook {
  const response: WebhookResponse = { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
  return { messages: [], statuses: [], response };
}
