import { ConflictException, HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusSubjects, type ActionDecisionReply } from '@cs/contracts';
import { BUS, BusNoRespondersError, BusTimeoutError, type Bus } from '@cs/messaging';
import { ActionCall } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import type { ApprovalView, DecisionView, ListApprovalsQuery } from './dto/action-approvals.dto';

/** Running a shop call and writing to the customer take a moment; the shop's own timeout is inside this. */
export const DECIDE_TIMEOUT_MS = 30_000;

const STATUSES: Record<ListApprovalsQuery['status'], string | null> = {
  awaiting: `c.status = 'awaiting_approval'`,
  decided: `c.decided_at IS NOT NULL`,
  all: `(c.status = 'awaiting_approval' OR c.decided_at IS NOT NULL)`,
};

/**
 * The approval queue: actions the agent parked because the tenant wants a person to approve them
 * (`settings.actionPermissions[action] = 'approval'`). A decision goes to the agent over the bus
 * (`agent.action.decide`), which runs the action once through its ledger and tells the customer;
 * the gateway runs no shop code itself. Every decision is in the audit log.
 */
@Injectable()
export class ActionApprovalsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
    private readonly audit: AuditService,
  ) {}

  async list(tenantId: string, query: ListApprovalsQuery): Promise<Page<ApprovalView>> {
    const qb = this.db.manager
      .createQueryBuilder(ActionCall, 'c')
      .where('c.tenant_id = :tenantId', { tenantId })
      .andWhere(STATUSES[query.status] as string)
      .orderBy('c.id', 'DESC')
      .limit(query.limit + 1);
    if (query.after) qb.andWhere('c.id < :id', { id: decodeCursor(query.after, ['id'] as const).id });
    return pageOf(await qb.getMany(), query.limit, viewOf, (row) => ({ id: row.id }));
  }

  async decide(caller: Principal, tenantId: string, id: string, decision: 'approve' | 'reject', note?: string): Promise<DecisionView> {
    const call = await this.db.manager.findOne(ActionCall, { where: { id, tenantId } });
    if (!call || (call.status !== 'awaiting_approval' && !call.decidedAt)) throw new NotFoundException(`no action awaiting approval with id ${id}`);
    if (call.status !== 'awaiting_approval') throw new ConflictException(`this action was already decided (it is ${call.status})`);
    let reply: ActionDecisionReply;
    try {
      reply = await this.bus.request(BusSubjects.agentActionDecide(), { tenantId, callId: id, decision, decidedBy: caller.id, note }, DECIDE_TIMEOUT_MS);
    } catch (err) {
      if (err instanceof BusNoRespondersError || err instanceof BusTimeoutError) {
        throw new HttpException('the agent did not answer; is it running? If the action was approved, its outcome shows in this list once known', HttpStatus.SERVICE_UNAVAILABLE);
      }
      throw err;
    }
    if (!reply.ok) {
      if (reply.status === 404) throw new NotFoundException(`no action awaiting approval with id ${id}`);
      if (reply.status === 409) throw new ConflictException(reply.error);
      throw new HttpException(reply.error, HttpStatus.BAD_GATEWAY);
    }
    await this.audit.record(caller, `action.${decision}`, { type: 'action-call', id }, { action: call.action, conversationId: call.conversationId, status: reply.status, note });
    const decided = await this.db.manager.findOneOrFail(ActionCall, { where: { id, tenantId } });
    return { ...viewOf(decided), customerTold: reply.customerTold };
  }
}

function viewOf(row: ActionCall): ApprovalView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    action: row.action,
    request: row.request,
    backendId: row.backendId,
    status: row.status,
    result: row.result,
    createdAt: row.createdAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
  };
}
