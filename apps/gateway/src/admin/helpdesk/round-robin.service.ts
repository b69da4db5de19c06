import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Routed {
  /** The team the hand-off went to; null when the tenant has no team. */
  teamId: string | null;
  /** The member it was assigned to; null when nobody of the team is available (it waits for the team). */
  assigneeId: string | null;
  /** False when the conversation was not waiting unassigned any more (a person took it, a redelivery): nothing changed but the clock. */
  assigned: boolean;
}

/**
 * Assigns a handed-off conversation to the next available member of the tenant's hand-off team
 * (the team marked `receivesHandoffs`, else the oldest), in one transaction: the conversation row is
 * locked first (a redelivered hand-off finds it assigned and changes nothing), then the team row
 * (`FOR UPDATE`), so two gateway processes routing two hand-offs at the same moment take turns and
 * never pick the same member from the same rotation. Members `away` or disabled are skipped.
 */
@Injectable()
export class RoundRobinService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async route(tenantId: string, conversationId: string, handedOffAt: Date): Promise<Routed | null> {
    return this.db.transaction(async (manager) => {
      const [conversation] = (await manager.query(
        `SELECT status, assignee_id FROM conversations WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [conversationId, tenantId],
      )) as { status: string; assignee_id: string | null }[];
      if (!conversation) return null;
      // The SLA clock starts at the hand-off, once (a redelivery keeps the first start).
      await manager.query(
        `UPDATE conversations SET waiting_since = $3, sla_breached_at = NULL WHERE id = $1 AND tenant_id = $2 AND waiting_since IS NULL AND status IN ('waiting', 'assigned')`,
        [conversationId, tenantId, handedOffAt],
      );
      const [team] = (await manager.query(
        `SELECT id, last_assigned_user_id FROM teams WHERE tenant_id = $1 ORDER BY receives_handoffs DESC, created_at ASC, id LIMIT 1 FOR UPDATE`,
        [tenantId],
      )) as { id: string; last_assigned_user_id: string | null }[];
      if (conversation.status !== 'waiting' || conversation.assignee_id) return { teamId: team?.id ?? null, assigneeId: conversation.assignee_id, assigned: false };
      if (!team) return { teamId: null, assigneeId: null, assigned: false };
      const members = (await manager.query(
        `SELECT u.id FROM team_members m JOIN users u ON u.id = m.user_id
          WHERE m.team_id = $1 AND u.tenant_id = $2 AND u.availability = 'online' AND u.disabled_at IS NULL ORDER BY u.id`,
        [team.id, tenantId],
      )) as { id: string }[];
      const last = team.last_assigned_user_id;
      const next = (last ? members.find((m) => m.id > last) : undefined) ?? members[0];
      if (!next) {
        await manager.query(`UPDATE conversations SET team_id = $2 WHERE id = $1`, [conversationId, team.id]);
        return { teamId: team.id, assigneeId: null, assigned: false };
      }
      await manager.query(`UPDATE teams SET last_assigned_user_id = $2 WHERE id = $1`, [team.id, next.id]);
      await manager.query(`UPDATE conversations SET team_id = $2, assignee_id = $3, status = 'assigned', updated_at = now() WHERE id = $1`, [conversationId, team.id, next.id]);
      return { teamId: team.id, assigneeId: next.id, assigned: true };
    });
  }
}
