import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorsTotal } from '@cs/config';
import { ConnectorRegistry } from './connector-registry.service';

/** Starts polling connectors (IMAP IDLE, Socket Mode) once the app is up and stops them on shutdown. */
@Injectable()
export class ConnectorLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConnectorLifecycle.name);

  constructor(private readonly registry: ConnectorRegistry) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const connector of this.registry.all()) {
      if (!connector.start) continue;
      // One unreachable vendor must not keep the other channels down; the connector retries itself.
      await connector.start().catch((err: Error) => {
        errorsTotal.inc({ app: 'connectors', kind: 'connector_start' });
        this.logger.error(`connector ${connector.definition.id} did not start: ${err.message}`);
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(
      this.registry
        .all()
        .filter((c) => c.stop)
        .map((c) => c.stop!().catch((err: Error) => this.logger.warn(`stopping ${c.definition.id}: ${err.message}`))),
    );
  }
}
