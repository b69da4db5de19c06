import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BusErrorFilter, type BusMessage } from '@cs/messaging';
import { InboundPipeline } from './inbound-pipeline.service';
import { conversationKey } from './conversation-key';

/** Read when the module is loaded: decorators are evaluated before Nest has built APP_CONFIG. */
const concurrency = Number(process.env.AGENT_CONCURRENCY) > 0 ? Number(process.env.AGENT_CONCURRENCY) : 64;

/** Every customer message of every channel and tenant, as one durable consumer shared by all agent processes. */
// The bus sees the handler's own error, so a database outage is waited out, not dead-lettered.
@Controller()
@UseFilters(BusErrorFilter)
export class InboundController {
  constructor(@Inject(InboundPipeline) private readonly pipeline: InboundPipeline) {}

  @EventPattern('msg.in.>', { durable: 'agent', orderKey: conversationKey, concurrency })
  async onInbound(@Payload() message: BusMessage): Promise<void> {
    await this.pipeline.handle(message);
  }
}
