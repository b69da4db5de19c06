import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BusSubjects, type ActionDecisionReply } from '@cs/contracts';
import { ActionApprovals } from './action-approvals.service';

/** `agent.action.decide` requests from the console, one agent process of the queue group answering each. */
@Controller()
export class ActionApprovalsController {
  constructor(@Inject(ActionApprovals) private readonly approvals: ActionApprovals) {}

  @MessagePattern(BusSubjects.agentActionDecide(), { queue: 'agent' })
  onDecide(@Payload() payload: unknown): Promise<ActionDecisionReply> {
    return this.approvals.decide(payload);
  }
}
