import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const USER_ROLES = ['operator', 'owner', 'admin', 'agent'] as const;
export type UserRole = (typeof USER_ROLES)[number];

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
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
