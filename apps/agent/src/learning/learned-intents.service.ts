import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantSettings } from '@cs/persistence';
import type { LearnedExamples } from '../pipeline/ai/intent-models.service';

/** What `tenants.settings.intentModel` holds once a retraining was promoted (the agent writes it, the console reads it). */
export interface PromotedIntentModel {
  version: string;
  modelKey: string;
  previousAccuracy: number | null;
  newAccuracy: number | null;
  heldOutExamples: number;
  promotedAt: string;
}

export function promotedModelOf(settings: TenantSettings): PromotedIntentModel | undefined {
  const record = settings.intentModel as Partial<PromotedIntentModel> | undefined;
  return record && typeof record.version === 'string' ? (record as PromotedIntentModel) : undefined;
}

/**
 * The learned examples of the tenant's promoted retraining, by version. Every agent process reads
 * the version from the tenant's settings with each message (no extra query): a promotion on one
 * process is picked up by the others on their next message for the tenant, which load the version's
 * examples once and then the model from the shared cache (or train the same one).
 */
@Injectable()
export class LearnedIntents {
  private readonly byVersion = new Map<string, Promise<LearnedExamples | undefined>>();

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  forSettings(tenantId: string, settings: TenantSettings): Promise<LearnedExamples | undefined> {
    const promoted = promotedModelOf(settings);
    return promoted ? this.version(tenantId, promoted.version) : Promise.resolve(undefined);
  }

  version(tenantId: string, version: string): Promise<LearnedExamples | undefined> {
    let found = this.byVersion.get(version);
    if (!found) {
      found = this.db
        .query(`SELECT examples FROM intent_model_versions WHERE id = $1 AND tenant_id = $2 AND status = 'promoted'`, [version, tenantId])
        .then((rows: { examples: LearnedExamples['examples'] }[]) => (rows[0] ? { version, examples: rows[0].examples } : undefined));
      found.catch(() => this.byVersion.delete(version));
      this.byVersion.set(version, found);
    }
    return found;
  }
}
