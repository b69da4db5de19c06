import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export interface TenantSettings {
  /** Minimum retrieval confidence (0..1) for the agent to answer alone. */
  confidenceThreshold?: number;
  handoffMessage?: string;
  expectedResponseTime?: string;
  brandVoice?: string;
  timezone?: string;
  businessHours?: Record<string, [string, string][]>;
  [key: string]: unknown;
}

@Entity('tenants')
export class Tenant {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { unique: true }) slug: string;
  @Column('jsonb', { default: {} }) settings: TenantSettings;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
