import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { agentEnvSchema } from '@cs/config';
import { BusSubjects, type InboundMessage } from '@cs/contracts';
import { BusErrorFilter, type BusMessage } from '@cs/messaging';
import { InboundPipeline } from './inbound-pipeline.service';
import { conversationKey } from './conversation-key';

/**
 * Read when the module is loaded: decorators are evaluated before Nest has built APP_CONFIG, so this
 * one variable is parsed here with the agent's schema (same bounds and default). An invalid value
 * takes the default here and stops the app at boot, where loadEnv reports it with the others.
 */
const consumerEnv = agentEnvSchema.pick({ AGENT_CONCURRENCY: true });
const concurrency = (consumerEnv.safeParse(process.env).data ?? consumerEnv.parse({})).AGENT_CONCURRENCY;

/** Every customer message of every channel and tenant, as one durable consumer shared by all agent processes. */
// The bus sees the handler's own error, so a database outage is waited out, not dead-lettered.
@Controller()
@UseFilters(BusErrorFilter)
export class InboundController {
  constructor(@Inject(InboundPipeline) private readonly pipeline: InboundPipeline) {}

  @EventPattern(BusSubjects.msgInAll(), { durable: 'agent', orderKey: conversationKey, concurrency })
  async onInbound(@Payload() message: BusMessage<InboundMessage>): Promise<void> {
    await this.pipeline.handle(message);
  }
}
