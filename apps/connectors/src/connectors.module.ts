import { DynamicModule, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
import type { ChannelConnector } from '@cs/contracts';
import { DeliveryRecorder } from './outbound/delivery-recorder.service';
import { OutboundDispatcher } from './outbound/outbound-dispatcher.service';
import { SendClaims } from './outbound/send-claims.service';
import { ChannelAccountService } from './registry/channel-account.service';
import { ConnectorCatalog } from './registry/connector-catalog.service';
import { ChannelsFileLoader } from './registry/channels-file';
import { ConnectorLifecycle } from './registry/connector-lifecycle.service';
import { CHANNEL_CONNECTORS, ConnectorRegistry } from './registry/connector-registry.service';
import { CONNECTORS } from './registry/connectors.list';
import { InboundPublisher } from './registry/inbound-publisher.service';
import { WebhookBridge } from './webhooks/webhook-bridge.service';

/** Everything the connectors app runs, for a given list of connector classes. */
export function connectorsModuleMetadata(connectors: Type<ChannelConnector>[], extra: Provider[] = []): ModuleMetadata {
  return {
    providers: [
      ...connectors,
      // Ghostfolio's pattern: every connector under one typed token, the registry reads only that.
      { provide: CHANNEL_CONNECTORS, useFactory: (...instances: ChannelConnector[]) => instances, inject: connectors },
      ConnectorRegistry,
      ChannelAccountService,
      InboundPublisher,
      DeliveryRecorder,
      SendClaims,
      OutboundDispatcher,
      WebhookBridge,
      ConnectorLifecycle,
      ConnectorCatalog,
      ChannelsFileLoader,
      ...extra,
    ],
    exports: [ConnectorRegistry, ChannelAccountService, InboundPublisher],
  };
}

/**
 * The connectors app: inbound requests and webhooks, outbound delivery, polling connectors.
 * Assumes the global CoreModule (APP_CONFIG, DataSource, BUS, SECRET_KEY) is imported beside it.
 */
@Module(connectorsModuleMetadata(CONNECTORS))
export class ConnectorsModule {
  /** The same app with another connector list (tests register a fake vendor this way). */
  static withConnectors(connectors: Type<ChannelConnector>[], extra: Provider[] = []): DynamicModule {
    return { module: ConnectorsHostModule, ...connectorsModuleMetadata(connectors, extra) };
  }
}

@Module({})
class ConnectorsHostModule {}
