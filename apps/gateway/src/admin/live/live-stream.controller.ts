import { Inject, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { BusSubjects } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';

/** Keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 25_000;

interface LiveEvent {
  status?: string;
  detail?: { authorKind?: string };
}

/**
 * Server-sent events for the inbox of the caller's tenant: `message` (every message stored, from
 * the agent's and the console's core `conv.message` events), `handoff` (the agent passed a
 * conversation to the team), `conversation` (a staff action: assign, resolve...), `ping`.
 */
@AdminController('stream', 'live')
export class LiveStreamController {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  @Sse()
  @Roles(...STAFF)
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Live inbox: server-sent events `message`, `handoff`, `conversation`, `ping`' })
  stream(@Caller() caller: Principal): Observable<MessageEvent> {
    const tenantId = tenantOf(caller);
    return new Observable<MessageEvent>((subscriber) => {
      const subscriptions = [
        this.bus.on(BusSubjects.convMessage(tenantId), (payload) => {
          subscriber.next({ type: 'message', data: payload as object });
          const event = payload as LiveEvent;
          if (event.status === 'waiting' && event.detail?.authorKind === 'bot') subscriber.next({ type: 'handoff', data: payload as object });
        }),
        this.bus.on(BusSubjects.convStaff(tenantId), (payload) => subscriber.next({ type: 'conversation', data: payload as object })),
      ];
      const heartbeat = setInterval(() => subscriber.next({ type: 'ping', data: {} }), HEARTBEAT_MS);
      return () => {
        clearInterval(heartbeat);
        for (const subscription of subscriptions) void subscription.unsubscribe().catch(() => undefined);
      };
    });
  }
}
