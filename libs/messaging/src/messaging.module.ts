import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { BUS, Bus } from './bus';
import { BusTransport } from './bus-transport';
import type { BusFailureOptions } from './failure-policy';
import { InProcessBus } from './in-process-bus';
import { NatsBus } from './nats-bus';

export interface MessagingModuleOptions {
  /** NATS server URL(s); without one the bus is in-process (embedded mode). */
  natsUrl?: string;
  /** Subject prefix, e.g. `cs`. */
  prefix: string;
  /** Connection name shown by the NATS server (the app's name). */
  name?: string;
  /** How consumers tell an outage from a bad message (e.g. the database's SQLSTATE classifier), and how long they wait one out. */
  failures?: BusFailureOptions;
}

/** Connected bus for these options: `NatsBus` when a NATS URL is given, else `InProcessBus`. */
export async function createBus(opts: MessagingModuleOptions): Promise<Bus> {
  if (opts.natsUrl) return NatsBus.connect({ servers: opts.natsUrl, prefix: opts.prefix, name: opts.name, failures: opts.failures });
  return new InProcessBus({ prefix: opts.prefix, failures: opts.failures });
}

/**
 * Provides `BUS` and `BusTransport` to the whole app. Wire handlers with
 * `app.connectMicroservice({ strategy: app.get(BusTransport) }); await app.startAllMicroservices();`.
 */
@Global()
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  static forRoot(opts: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [{ provide: BUS, useFactory: () => createBus(opts) }, BusTransport],
      exports: [BUS, BusTransport],
    };
  }

  /** Runs after Nest has closed the microservice transports, so no handler is still subscribed. */
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
