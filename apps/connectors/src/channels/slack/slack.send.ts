import { Logger } from '@nestjs/common';
import { webApi } from '@slack/bolt';
import { ConnectorError, type OutboundMessage, type SendResult } from '@cs/contracts';
import { renderSlackReply } from './slack.blocks';
import { toConnectorError } from './slack.errors';
import { messageKey, splitMessageKey } from './slack.parse';

/** Slack's documented pace for posting: about one message per second per channel. */
export const MIN_POST_INTERVAL_MS = 1_000;
export const WORKING_REACTION = 'eyes';

type WebClient = InstanceType<typeof webApi.WebClient>;

/**
 * The Web API side of the connector: one WebClient per bot token (Bolt's client), pointed at
 * SLACK_API_URL when set. The client's own retries are off and rate-limited calls are rejected,
 * so a 429 becomes RATE_LIMITED with Slack's Retry-After and the bus does the waiting.
 */
export class SlackSender {
  private readonly logger = new Logger(SlackSender.name);
  private readonly clients = new Map<string, WebClient>();
  private readonly nextSlot = new Map<string, number>();
  /** 👀 reactions being added, so the removal after the answer never overtakes its addition. */
  private readonly adding = new Map<string, Promise<void>>();

  constructor(private readonly apiUrl?: string) {}

  client(token: string): WebClient {
    let client = this.clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, {
        slackApiUrl: this.apiUrl ? `${this.apiUrl.replace(/\/+$/, '')}/` : undefined,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: 10_000,
        logLevel: webApi.LogLevel.ERROR,
      });
      this.clients.set(token, client);
    }
    return client;
  }

  /** Posts the reply in its thread, then takes the 👀 off the message it answers. */
  async post(token: string, message: OutboundMessage): Promise<SendResult> {
    const thread = splitMessageKey(message.target.externalThreadId);
    if (!thread) throw new ConnectorError('PERMANENT', 'the conversation has no Slack thread to answer in');
    const { text, blocks } = renderSlackReply(message);
    const person = message.authorKind === 'person' && message.authorName ? { username: message.authorName } : {};
    await this.pace(`${token.slice(-12)}:${thread.channel}`);
    let ts: string | undefined;
    try {
      const result = await this.client(token).chat.postMessage({
        channel: thread.channel,
        thread_ts: thread.ts,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...person,
      });
      ts = result.ts;
    } catch (err) {
      throw toConnectorError(err);
    }
    if (!ts) throw new ConnectorError('TEMPORARY', 'Slack accepted the message without a ts');
    await this.doneWorking(token, message);
    return { externalMessageId: messageKey(thread.channel, ts) };
  }

  /** 👀 on the customer's message while the agent works on it. Best effort: a missing emoji is no failure. */
  startWorking(token: string, messageKeyOrThread: string): Promise<void> {
    const target = splitMessageKey(messageKeyOrThread);
    if (!target) return Promise.resolve();
    const key = messageKey(target.channel, target.ts);
    const adding = this.react('add', token, target.channel, target.ts).finally(() => this.adding.delete(key));
    this.adding.set(key, adding);
    return adding;
  }

  private async doneWorking(token: string, message: OutboundMessage): Promise<void> {
    // The agent's typing event names the message (newer agents) or only the thread: clear both.
    const keys = new Set<string>();
    for (const candidate of [message.channelData.replyToExternalMessageId, message.target.externalThreadId]) {
      const target = splitMessageKey(candidate);
      if (target) keys.add(messageKey(target.channel, target.ts));
    }
    for (const key of keys) {
      await this.adding.get(key);
      const target = splitMessageKey(key)!;
      await this.react('remove', token, target.channel, target.ts);
    }
  }

  private async react(op: 'add' | 'remove', token: string, channel: string, timestamp: string): Promise<void> {
    try {
      await this.client(token).reactions[op]({ channel, timestamp, name: WORKING_REACTION });
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code !== 'already_reacted' && code !== 'no_reaction') this.logger.warn(`reactions.${op} on ${channel}:${timestamp}: ${code ?? (err as Error).message}`);
    }
  }

  /** Reserves the next free one-second slot of the channel and waits for it (per process). */
  private async pace(key: string): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot.get(key) ?? 0);
    this.nextSlot.set(key, slot + MIN_POST_INTERVAL_MS);
    if (this.nextSlot.size > 10_000) for (const [k, t] of this.nextSlot) if (t < now) this.nextSlot.delete(k);
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
