import { STATUS_CODES, type IncomingMessage, type Server } from 'http';
import type { Duplex } from 'stream';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Takes an upgrade request the router matched to it. Returning `false` declines it (a prefix owner
 * that does not serve this particular path): the router then answers 404 like any unknown path.
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => boolean | void;

/** An exact path (`/ws/chat`) or every path under a prefix (`/hooks/`). */
export type UpgradeRoute = { path: string } | { prefix: string };

/**
 * The only `upgrade` listener on the gateway's HTTP server. With one listener per feature, each had
 * to guess whether another would take a path it did not own, so an unknown path was either destroyed
 * or left hanging depending on listener order; here every WebSocket path is registered, and an
 * unknown one gets a 404 in one place.
 */
@Injectable()
export class UpgradeRouter implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly exact = new Map<string, UpgradeHandler>();
  private readonly prefixes = new Map<string, UpgradeHandler>();
  private server?: Server;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
  }

  onModuleDestroy(): void {
    this.server?.off('upgrade', this.onUpgrade);
  }

  /** Routes upgrades on `route` to `handler` until the returned function is called. */
  register(route: UpgradeRoute, handler: UpgradeHandler): () => void {
    const [table, key] = 'path' in route ? [this.exact, route.path] : [this.prefixes, route.prefix];
    if (table.has(key)) throw new Error(`the WebSocket route ${key} is registered twice`);
    table.set(key, handler);
    return () => {
      if (table.get(key) === handler) table.delete(key);
    };
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = this.exact.get(url.pathname) ?? this.longestPrefix(url.pathname);
    if (!handler || handler(req, socket, head, url) === false) notFound(socket);
  };

  private longestPrefix(path: string): UpgradeHandler | undefined {
    let best: [string, UpgradeHandler] | undefined;
    for (const entry of this.prefixes) {
      if (path.startsWith(entry[0]) && entry[0].length > (best?.[0].length ?? -1)) best = entry;
    }
    return best?.[1];
  }
}

function notFound(socket: Duplex): void {
  // Node removes its own error listener from an upgraded socket; a reset while we answer must not
  // become an uncaught error.
  socket.on('error', () => socket.destroy());
  // Destroyed only once the answer is flushed, or the client would see a bare reset.
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 404 ${STATUS_CODES[404]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
