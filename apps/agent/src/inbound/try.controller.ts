import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BusSubjects, type AgentTryReply } from '@cs/contracts';
import { TryTurnService } from './try-turn.service';

/** `agent.try` requests, one agent process of the queue group answering each. */
@Controller()
export class TryController {
  constructor(@Inject(TryTurnService) private readonly tries: TryTurnService) {}

  @MessagePattern(BusSubjects.agentTry(), { queue: 'agent' })
  onTry(@Payload() payload: unknown): Promise<AgentTryReply> {
    return this.tries.try(payload);
  }
}
