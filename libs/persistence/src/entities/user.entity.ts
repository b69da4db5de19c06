import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const USER_ROLES = ['operator', 'owner', 'admin', 'agent'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const AVAILABILITIES = ['online', 'away'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** How a person wants to be told about hand-offs and customers' messages; a missing key is on. */
export interface NotificationPrefs {
  browser?: boolean;
  sound?: boolean;
  email?: boolean;
}

@Entity('users')
@Index(['email'], { unique: true })
export class User {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  @Column('text') email: string;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text', { name: 'password_hash' }) passwordHash: string;
  @Column('text') role: UserRole;
  @Column('timestamptz', { name: 'disabled_at', nullable: true }) disabledAt: Date | null;
  /** `away`: skipped by the round-robin assignment of hand-offs. */
  @Column('text', { default: 'online' }) availability: Availability;
  @Column('jsonb', { name: 'notification_prefs', default: {} }) notificationPrefs: NotificationPrefs;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
