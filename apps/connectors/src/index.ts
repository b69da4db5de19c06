// @cs/connectors: what other apps and helpers may use. The embedded main imports ConnectorsModule;
// a new connector uses the registry services and the error/contract types from @cs/contracts.
export * from './connectors.module';
export * from './registry/connectors.list';
export * from './registry/connector-registry.service';
export * from './registry/channel-account.service';
export * from './registry/inbound-publisher.service';
export * from './registry/live-message';
export * from './registry/settings-secrets';
export * from './registry/connector-catalog.service';
export * from './outbound/outbound-dispatcher.service';
export * from './outbound/send-policy';
export * from './webhooks/webhook-bridge.service';
