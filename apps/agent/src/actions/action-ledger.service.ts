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
    const id = claimed[0].id;
    try {
      const result = await run();
      await this.finish(id, 'done', { ...result });
      return { kind: 'done', result, repeated: false };
    } catch (err) {
      const code = err instanceof ActionBackendError ? err.code : 'unavailable';
      await this.finish(id, 'failed', { code, message: (err as Error).message });
      return { kind: 'failed', code, repeated: false };
    }
  }

  /** A call the agent did not make itself (`awaiting_approval`): kept for the audit and for whoever approves it. */
  async record(call: LedgerCall, status: 'awaiting_approval'): Promise<void> {
    await this.ds.query(
      `INSERT INTO action_calls (id, tenant_id, conversation_id, backend_id, action, idempotency_key, request, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING`,
      [newId(), call.tenantId, call.conversationId, call.backendId, call.action, call.idempotencyKey, JSON.stringify(call.request), status],
    );
  }

  private async previous(call: LedgerCall): Promise<LedgerOutcome> {
    const row = await this.ds.getRepository(ActionCall).findOneOrFail({ where: { tenantId: call.tenantId, idempotencyKey: call.idempotencyKey } });
    if (row.status === 'done' && row.result) return { kind: 'done', result: row.result as unknown as MutationResult, repeated: true };
    if (row.status === 'failed') return { kind: 'failed', code: String(row.result?.code ?? 'unavailable'), repeated: true };
    return { kind: 'unknown' };
  }

  private async finish(id: string, status: 'done' | 'failed', result: Record<string, unknown>): Promise<void> {
    await this.ds.query(`UPDATE action_calls SET status = $2, result = $3, finished_at = now() WHERE id = $1`, [id, status, JSON.stringify(result)]);
  }
}
