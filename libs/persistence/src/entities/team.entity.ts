import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A team of a tenant's staff (issue 17). Handed-off conversations are assigned round-robin among
 * its available members; `lastAssignedUserId` is the rotation, moved under the team row's lock so
 * that several gateway processes never pick the same turn.
 */
@Entity('teams')
@Index(['tenantId', 'name'], { unique: true })
export class Team {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') name: string;
  /** Hand-offs of the tenant go to this team (at most one per tenant; else the oldest team). */
  @Column('boolean', { name: 'receives_handoffs', default: false }) receivesHandoffs: boolean;
  @Column('uuid', { name: 'last_assigned_user_id', nullable: true }) lastAssignedUserId: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

@Entity('team_members')
export class TeamMember {
  @PrimaryColumn('uuid', { name: 'team_id' }) teamId: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
}

/** One email about one event to one person: the row decides which gateway process sends it (the first to insert it). */
@Entity('notification_deliveries')
export class NotificationDelivery {
  @PrimaryColumn('text', { name: 'event_key' }) eventKey: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
