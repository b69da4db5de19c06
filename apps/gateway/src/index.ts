// @cs/gateway: what hosts and tests of the gateway use.
export * from './gateway.module';
export * from './gateway-http';
export * from './bootstrap';
export * from './common/api-exception.filter';
export * from './webchat/webchat.protocol';
export { createUser } from './admin/users/create-user';
