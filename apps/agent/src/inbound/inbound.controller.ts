import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BusSubjects, type InboundMessage } from '@cs/contracts';
import type { BusMessage } from '@cs/messaging';
import { InboundPipeline } from './inbound-pipeline.service';
import { conversationKey } from './conversation-key';

/** Read when the module is loaded: decorators are evaluated before Nest has built APP_CONFIG. */
const concurrency = Number(process.env.AGENT_CONCURRENCY) > 0 ? Number(process.env.AGENT_CONCURRENCY) : 64;

/** Every customer message of every channel and tenant, as one durable consumer shared by all agent processes. */
@Controller()
export class InboundController {
  constructor(@Inject(InboundPipeline) private readonly pipeline: InboundPipeline) {}

  @EventPattern(BusSubjects.msgInAll(), { durable: 'agent', orderKey: conversationKey, concurrency })
  async onInbound(@Payload() message: BusMessage<InboundMessage>): Promise<void> {
    await this.pipeline.handle(message);
  }
}
