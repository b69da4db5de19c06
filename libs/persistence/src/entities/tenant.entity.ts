import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export interface TenantSettings {
  /** Minimum retrieval confidence (0..1) for the agent to answer alone. */
  confidenceThreshold?: number;
  handoffMessage?: string;
  expectedResponseTime?: string;
  brandVoice?: string;
  timezone?: string;
  businessHours?: Record<string, [string, string][]>;
  /** `extractive`: never a language model; `openai-compatible`: the tenant's own endpoint (or the default one). */
  llmProvider?: 'extractive' | 'openai-compatible';
  /** The tenant's model name; the process-wide LLM_MODEL when unset. */
  llmModel?: string;
  /** The tenant's own OpenAI-compatible endpoint; the process-wide LLM_BASE_URL when unset. */
  llmBaseUrl?: string;
  /** The key for llmBaseUrl, sealed with SecretBox (`{ apiKey }`); write-only in the API as `llmApiKey`. */
  llmApiKeySealed?: string;
  /** `false`: the agent asks no satisfaction question after a resolution (email, SMS, WhatsApp, Slack). */
  csatSurvey?: boolean;
  /** A resolved conversation idle this long is closed by the helpdesk job; unset: never. */
  autoCloseAfterHours?: number;
  /** A customer waiting this long for a person breaches the SLA (flag and `conv.sla_breached`); unset: no SLA. */
  slaMinutes?: number;
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
