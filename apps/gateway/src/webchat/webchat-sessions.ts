import { Gauge, register } from 'prom-client';
import { WebSocket } from 'ws';
import type { WidgetAccount } from './webchat-accounts.service';
import type { ServerFrame } from './webchat.protocol';

/** One accepted widget socket. */
export interface ChatSocket {
  ws: WebSocket;
  widgetKey: string;
  sessionId: string;
  account: WidgetAccount;
  origin?: string;
  /** Cleared at each heartbeat, set again by the pong; still clear at the next one: dead. */
  alive: boolean;
  /** The visitor's frames are handled one after another, so their messages keep their order. */
  queue: Promise<void>;
}

const registries = new Set<WebchatSessions>();
if (!register.getSingleMetric('cs_webchat_sockets')) {
  new Gauge({
    name: 'cs_webchat_sockets',
    help: 'Open web-chat widget sockets in this process',
    collect() {
      let n = 0;
      for (const r of registries) n += r.size;
      this.set(n);
    },
  });
}

export function sendFrame(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}

/** The sockets of this process by widget session: a visitor with several tabs has several. */
export class WebchatSessions {
  private readonly bySession = new Map<string, Set<ChatSocket>>();

  constructor() {
    registries.add(this);
  }

  get size(): number {
    let n = 0;
    for (const set of this.bySession.values()) n += set.size;
    return n;
  }

  add(chat: ChatSocket): void {
    let set = this.bySession.get(chat.sessionId);
    if (!set) this.bySession.set(chat.sessionId, (set = new Set()));
    set.add(chat);
  }

  remove(chat: ChatSocket): void {
    const set = this.bySession.get(chat.sessionId);
    if (!set) return;
    set.delete(chat);
    if (set.size === 0) this.bySession.delete(chat.sessionId);
  }

  /** True when this process holds a socket of the session. */
  has(sessionId: string): boolean {
    return this.bySession.has(sessionId);
  }

  deliver(sessionId: string, frame: ServerFrame): void {
    for (const chat of this.bySession.get(sessionId) ?? []) sendFrame(chat.ws, frame);
  }

  /** Pings every socket; terminates those that did not answer the previous ping. */
  heartbeat(): void {
    for (const set of this.bySession.values()) {
      for (const chat of set) {
        if (!chat.alive) {
          chat.ws.terminate();
          continue;
        }
        chat.alive = false;
        chat.ws.ping();
      }
    }
  }

  closeAll(code: number, reason: string): void {
    for (const set of this.bySession.values()) for (const chat of set) chat.ws.close(code, reason);
    this.bySession.clear();
    registries.delete(this);
  }
}
