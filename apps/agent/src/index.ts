export * from './agent.module';
export * from './inbound/inbound-pipeline.service';
export * from './inbound/conversation-key';
