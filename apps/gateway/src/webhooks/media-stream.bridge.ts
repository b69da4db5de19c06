import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import WebSocket, { WebSocketServer } from 'ws';
import { BusSubjects, newId } from '@cs/contracts';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import { BUS, type Bus, type Subscription } from '@cs/messaging';
import { UpgradeRouter } from '../common/upgrade-router';

const MEDIA_PREFIX = '/hooks/';
const MEDIA_PATH = /^\/hooks\/([a-z0-9][a-z0-9-]{0,62})\/([0-9a-f-]{36})\/media$/;
const OPEN_TIMEOUT_MS = 5000;

/**
 * A vendor's media WebSocket (a Twilio Media Stream) at `/hooks/<connectorId>/<channelAccountId>/media`.
 * The gateway holds the socket and speaks no vendor protocol: it asks the connector whether to accept
 * (`stream.<connectorId>.open`, with the URL as the vendor saw it and the handshake headers, so the
 * connector can check the signature), then relays every frame in order onto
 * `stream.<connectorId>.<streamId>.in` and every payload of `.out` back; `{event:'close'}` closes the
 * socket, and a socket that closes without a `stop` frame sends one.
 */
@Injectable()
export class MediaStreamBridge implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MediaStream');
  private readonly wss = new WebSocketServer({ noServer: true });
  private unroute?: () => void;

  constructor(
    private readonly upgrades: UpgradeRouter,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'PUBLIC_URL'>,
  ) {}

  onApplicationBootstrap(): void {
    this.unroute = this.upgrades.register({ prefix: MEDIA_PREFIX }, this.onUpgrade);
  }

  async onModuleDestroy(): Promise<void> {
    this.unroute?.();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean | void => {
    const match = MEDIA_PATH.exec(url.pathname);
    if (!match) return false; // another path under /hooks/: the router answers 404
    const [, connectorId, channelAccountId] = match;
    const streamId = newId();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const base = this.config.PUBLIC_URL ?? `http://${req.headers.host ?? 'localhost'}`;
    const vendorUrl = base.replace(/\/+$/, '').replace(/^http/, 'ws') + (req.url ?? '');
    this.bus
      .request(BusSubjects.streamOpen(connectorId), { streamId, channelAccountId, url: vendorUrl, headers }, OPEN_TIMEOUT_MS)
      .then((answer) => {
        if (!answer.ok) {
          socket.end(`HTTP/1.1 ${answer.status ?? 403} Forbidden\r\nConnection: close\r\n\r\n`);
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => this.relay(ws, connectorId, streamId));
      })
      .catch((err: Error) => {
        this.logger.warn(`media stream for ${connectorId} refused: ${err.message}`);
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      });
  };

  private relay(ws: WebSocket, connectorId: string, streamId: string): void {
    let stopped = false;
    const inbound = BusSubjects.streamIn(connectorId, streamId);
    const out: Subscription = this.bus.on(BusSubjects.streamOut(connectorId, streamId), (frame) => {
      if ((frame as { event?: string }).event === 'close') ws.close();
      else if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    });
    ws.on('message', (data) => {
      let frame: { event?: string };
      try {
        frame = JSON.parse(data.toString()) as { event?: string };
      } catch {
        return; // not a frame of the protocol; nothing to relay
      }
      if (frame.event === 'stop') stopped = true;
      this.bus.emit(inbound, frame);
    });
    ws.on('close', () => {
      if (!stopped) this.bus.emit(inbound, { event: 'stop' });
      out.unsubscribe().catch((err: Error) => this.logger.warn(`media stream ${streamId}: unsubscribe failed: ${err.message}`));
    });
  }
}
