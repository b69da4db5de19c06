import { Logger } from '@nestjs/common';
import { SocketModeClient } from '@slack/socket-mode';

export interface SocketAccount {
  id: string;
  appToken: string;
}

/** One envelope from the socket: handled (published) before it is acknowledged, so Slack resends it otherwise. */
export type SocketEnvelopeHandler = (accountId: string, type: string, body: unknown) => Promise<void>;

/**
 * Socket Mode, for shops without a public URL: one WebSocket per workspace with an app-level
 * token, opened with `apps.connections.open` (at SLACK_API_URL when set). Events arrive as
 * envelopes instead of signed HTTP requests; the socket itself is the authentication.
 */
export class SlackSocketMode {
  private readonly logger = new Logger(SlackSocketMode.name);
  private readonly sockets = new Map<string, { appToken: string; client: SocketModeClient }>();

  constructor(
    private readonly apiUrl: string | undefined,
    private readonly onEnvelope: SocketEnvelopeHandler,
  ) {}

  /** Opens sockets for new accounts, reopens changed ones, closes the ones gone. */
  async sync(accounts: SocketAccount[]): Promise<void> {
    const wanted = new Map(accounts.map((a) => [a.id, a]));
    for (const [id, socket] of this.sockets) {
      if (wanted.get(id)?.appToken === socket.appToken) continue;
      await socket.client.disconnect().catch(() => undefined);
      this.sockets.delete(id);
    }
    for (const account of accounts) {
      if (this.sockets.has(account.id)) continue;
      const client = new SocketModeClient({
        appToken: account.appToken,
        clientOptions: this.apiUrl ? { slackApiUrl: `${this.apiUrl.replace(/\/+$/, '')}/` } : undefined,
      });
      client.on('slack_event', ({ ack, type, body }: { ack: () => Promise<void>; type: string; body: unknown }) => {
        this.onEnvelope(account.id, type, body)
          .then(() => ack())
          .catch((err: Error) => this.logger.error(`socket mode envelope for ${account.id} not handled (Slack will resend it): ${err.message}`));
      });
      this.sockets.set(account.id, { appToken: account.appToken, client });
      // The client reconnects by itself once started; a first failure is retried on the next sync.
      await client.start().catch((err: Error) => {
        this.logger.error(`socket mode for ${account.id} did not connect: ${err.message}`);
        this.sockets.delete(account.id);
        void client.disconnect().catch(() => undefined);
      });
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sockets.values()].map((s) => s.client.disconnect().catch(() => undefined)));
    this.sockets.clear();
  }
}
