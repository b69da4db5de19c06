import { MigrationInterface, QueryRunner } from 'typeorm';

/** The approval queue (issue 15): who approved or rejected a parked action call, when, and why; the queue read by tenant and status. */
export class ActionApprovals1796679047936 implements MigrationInterface {
  name = 'ActionApprovals1796679047936';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "action_calls" ADD "decided_by" uuid, ADD "decided_at" TIMESTAMP WITH TIME ZONE, ADD "decision_note" text`);
    await queryRunner.query(`CREATE INDEX "idx_action_calls_tenant_status" ON "action_calls" ("tenant_id", "status", "created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_action_calls_tenant_status"`);
    await queryRunner.query(`ALTER TABLE "action_calls" DROP COLUMN "decision_note", DROP COLUMN "decided_at", DROP COLUMN "decided_by"`);
  }
}
