import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { ActionCall } from '@cs/persistence';
import { ActionBackendError, type MutationResult } from './action-backend';

export type LedgerOutcome =
  | { kind: 'done'; result: MutationResult; repeated: boolean }
  | { kind: 'failed'; code: string; repeated: boolean }
  /** Another call with this key started and never finished: its outcome is unknown. */
  | { kind: 'unknown' };

export interface LedgerCall {
  tenantId: string;
  conversationId: string;
  backendId: string;
  action: string;
  idempotencyKey: string;
  request: Record<string, unknown>;
}

/**
 * Runs a mutating backend call at most once per idempotency key: the row is claimed (unique key)
 * before the call, so a repeated confirmation gets the first call's outcome instead of a second call.
 * The rows are the audit of every action the agent took.
 */
@Injectable()
export class ActionLedger {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async once(call: LedgerCall, run: () => Promise<MutationResult>): Promise<LedgerOutcome> {
    const claimed: { id: string }[] = await this.ds.query(
      `INSERT INTO action_calls (id, tenant_id, conversation_id, backend_id, action, idempotency_key, request, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'started') ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id`,
      [newId(), call.tenantId, call.conversationId, call.backendId, call.action, call.idempotencyKey, JSON.stringify(call.request)],
    );
    if (claimed.length === 0) return this.previous(call);
    return this.run({ id: claimed[0].id, ...call }, run);
  }

  /**
   * A person's decision on a call parked `awaiting_approval`, taken once: approving claims it
   * (`started`) for the caller to run with `run`, rejecting closes it. Another decision on the same
   * call finds it no longer awaiting and gets it back as it is (`claimed: false`); null when the
   * tenant has no such call.
   */
  async decide(tenantId: string, callId: string, decision: 'approve' | 'reject', decidedBy: string, note?: string): Promise<{ call: ActionCall; claimed: boolean } | null> {
    // A SELECT over the UPDATE: drivers answer it with plain rows.
    const claimedRows: unknown[] = await this.ds.query(
      `WITH decided AS (
         UPDATE action_calls SET status = $3, decided_by = $4, decided_at = now(), decision_note = $5
          WHERE id = $1 AND tenant_id = $2 AND status = 'awaiting_approval' RETURNING id
       ) SELECT id FROM decided`,
      [callId, tenantId, decision === 'approve' ? 'started' : 'rejected', decidedBy, note ?? null],
    );
    const call = await this.ds.getRepository(ActionCall).findOne({ where: { id: callId, tenantId } });
    if (!call) return null;
    const claimed = claimedRows.length > 0;
    if (claimed) await this.audit(call, decision === 'approve' ? 'approved' : 'rejected', { decidedBy });
    return { call, claimed };
  }

  /** An approved call, claimed by `decide`: run once, its outcome recorded like the agent's own calls. */
  runApproved(call: ActionCall, run: () => Promise<MutationResult>): Promise<LedgerOutcome> {
    return this.run(call, run);
  }

  private async run(call: LedgerCall & { id: string }, run: () => Promise<MutationResult>): Promise<LedgerOutcome> {
    try {
      const result = await run();
      await this.finish(call, 'done', { ...result });
      return { kind: 'done', result, repeated: false };
    } catch (err) {
      const code = err instanceof ActionBackendError ? err.code : 'unavailable';
      await this.finish(call, 'failed', { code, message: (err as Error).message });
      return { kind: 'failed', code, repeated: false };
    }
  }

  /** A call the agent did not make itself (`awaiting_approval`): kept for the audit and for whoever approves it. */
  async record(call: LedgerCall, status: 'awaiting_approval'): Promise<void> {
    const id = newId();
    const stored: unknown[] = await this.ds.query(
      `INSERT INTO action_calls (id, tenant_id, conversation_id, backend_id, action, idempotency_key, request, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id`,
      [id, call.tenantId, call.conversationId, call.backendId, call.action, call.idempotencyKey, JSON.stringify(call.request), status],
    );
    if (stored.length > 0) await this.audit({ id, ...call }, status);
  }

  private async previous(call: LedgerCall): Promise<LedgerOutcome> {
    const row = await this.ds.getRepository(ActionCall).findOneOrFail({ where: { tenantId: call.tenantId, idempotencyKey: call.idempotencyKey } });
    if (row.status === 'done' && row.result) return { kind: 'done', result: row.result as unknown as MutationResult, repeated: true };
    if (row.status === 'failed') return { kind: 'failed', code: String(row.result?.code ?? 'unavailable'), repeated: true };
    return { kind: 'unknown' };
  }

  private async finish(call: LedgerCall & { id: string }, status: 'done' | 'failed', result: Record<string, unknown>): Promise<void> {
    await this.ds.query(`UPDATE action_calls SET status = $2, result = $3, finished_at = now() WHERE id = $1`, [call.id, status, JSON.stringify(result)]);
    await this.audit(call, status, status === 'failed' ? { code: result.code } : { state: result.state });
  }

  /**
   * The tenant's audit log (the console's /audit) gets every action the agent took or parked, by
   * the agent (`actor_kind` agent), on the conversation it was asked in: `action.done`,
   * `action.failed`, `action.awaiting_approval`, `action.approved`, `action.rejected`.
   */
  private async audit(call: Pick<LedgerCall, 'tenantId' | 'conversationId' | 'backendId' | 'action'> & { id: string }, what: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.ds.query(
      `INSERT INTO audit_logs (id, tenant_id, actor_kind, actor_id, action, target_type, target_id, detail) VALUES ($1, $2, 'agent', NULL, $3, 'conversation', $4, $5)`,
      [newId(), call.tenantId, `action.${what}`, call.conversationId, JSON.stringify({ action: call.action, callId: call.id, backend: call.backendId, ...detail })],
    );
  }
}
