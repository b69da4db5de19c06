import { Inject, Injectable } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { BusEntry, BusPattern, Durable, Live, RequestReply } from '@cs/contracts';
import { BUS, Bus, ConsumerOptions, Subscription } from './bus';
import { BusContext } from './bus-context';

interface EventRoute {
  pattern: string;
  handler: MessageHandler;
  extras: Record<string, unknown>;
}

/**
 * Nest microservice transport over our `Bus`, so apps declare bus handlers the Nest way:
 * - `@EventPattern(BusSubjects.msgInAll(), { durable: 'agent', ...ConsumerOptions })`: a durable
 *   consumer; the handler gets the `BusMessage`, and a throw (or a failing Observable) means "redeliver".
 * - `@EventPattern(BusSubjects.webchatDeliverAll(), { queue? })` without `durable`: a core subscription.
 * - `@MessagePattern(BusSubjects.webhook(id), { queue? })`: answers core requests with the handler's result.
 * Patterns are relative to the bus prefix and made by `BusSubjects`, like every subject.
 */
@Injectable()
export class BusTransport extends Server implements CustomTransportStrategy {
  private readonly events: EventRoute[] = [];
  private readonly subscriptions: Subscription[] = [];

  constructor(@Inject(BUS) private readonly bus: Bus) {
    super();
  }

  /**
   * Nest chains event handlers that share a pattern and calls them all with one set of extras; two
   * durables on one subject (say `conv.>` for the gateway and for analytics) must stay separate.
   */
  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    if (!isEventHandler) return super.addHandler(pattern, callback, isEventHandler, extras);
    const normalized = this.normalizePattern(pattern as string);
    callback.isEventHandler = true;
    callback.extras = extras;
    this.events.push({ pattern: normalized, handler: callback, extras });
    if (!this.messageHandlers.has(normalized)) this.messageHandlers.set(normalized, callback);
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      for (const route of this.events) await this.bindEvent(route);
      for (const [pattern, handler] of this.messageHandlers) {
        if (handler.isEventHandler) continue;
        const queue = typeof handler.extras?.queue === 'string' ? handler.extras.queue : undefined;
        this.subscriptions.push(
          this.bus.reply(asPattern<RequestReply<unknown, unknown>>(pattern), (payload, subject) => settle(handler(payload, new BusContext(subject))), queue),
        );
      }
      callback();
    } catch (err) {
      callback(err);
    }
  }

  async close(): Promise<void> {
    const subs = this.subscriptions.splice(0);
    await Promise.all(subs.map((s) => s.unsubscribe()));
  }

  /** Nest 11 status events: this transport reports none. */
  on(): void {
    return undefined;
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private async bindEvent({ pattern, handler, extras }: EventRoute): Promise<void> {
    if (typeof extras.durable === 'string') {
      const opts: ConsumerOptions = { ...(extras as Partial<ConsumerOptions>), durable: extras.durable, filterSubjects: [asPattern<Durable<unknown>>(pattern)] };
      this.subscriptions.push(
        await this.bus.consume(opts, async (message) => {
          await settle(handler(message, new BusContext(message.subject)));
        }),
      );
      return;
    }
    const queue = typeof extras.queue === 'string' ? extras.queue : undefined;
    this.subscriptions.push(
      this.bus.on(
        asPattern<Live<unknown>>(pattern),
        (payload, subject) => {
          settle(handler(payload, new BusContext(subject))).catch((err: unknown) =>
            this.logger.error(`event handler for ${subject} failed: ${String(err)}`),
          );
        },
        queue,
      ),
    );
  }
}

/**
 * Nest keeps a decorator's pattern as a plain string; the decorator was given a `BusSubjects`
 * pattern, and a Nest handler's parameters are not typed from it, so the entry is left open here.
 */
function asPattern<E extends BusEntry>(pattern: string): BusPattern<E> {
  return pattern as BusPattern<E>;
}

/** A Nest handler returns a value, a Promise or an Observable (errors from its filters arrive as a failing Observable). */
async function settle(result: unknown): Promise<unknown> {
  const value = await result;
  return isObservable(value) ? lastValueFrom(value, { defaultValue: undefined }) : value;
}
