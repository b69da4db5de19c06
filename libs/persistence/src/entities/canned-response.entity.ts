import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A reply the staff reuse (issue 17); `body` may hold placeholders like `{{contact.name}}`, filled per conversation. */
@Entity('canned_responses')
@Index(['tenantId', 'shortcut'], { unique: true })
export class CannedResponse {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  /** What the staff type to find it, e.g. `refund-ok`. */
  @Column('text') shortcut: string;
  @Column('text') title: string;
  @Column('text') body: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
