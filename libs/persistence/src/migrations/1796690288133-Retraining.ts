import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retraining from outcomes and customer reopens (issue 18): intent training examples (relabels and
 * confirmed resolutions), the tenant's intent model versions, and the reopens of resolved
 * conversations (staff reopens so far only in the audit log are copied in).
 */
export class Retraining1796690288133 implements MigrationInterface {
  name = 'Retraining1796690288133';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "intent_training_examples" (
      "id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "message_id" uuid NOT NULL, "text" text NOT NULL,
      "intent" text NOT NULL, "previous_intent" text, "source" text NOT NULL, "held_out" boolean NOT NULL, "labelled_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_intent_training_examples" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_intent_training_examples_message" ON "intent_training_examples" ("tenant_id", "message_id")`);
    await queryRunner.query(`CREATE INDEX "idx_intent_training_examples_tenant" ON "intent_training_examples" ("tenant_id", "created_at")`);
    await queryRunner.query(`CREATE TABLE "intent_model_versions" (
      "id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "status" text NOT NULL, "trigger" text NOT NULL, "examples" jsonb NOT NULL DEFAULT '[]',
      "training_examples" integer NOT NULL DEFAULT 0, "held_out_examples" integer NOT NULL DEFAULT 0, "previous_accuracy" real, "new_accuracy" real,
      "previous_version_id" uuid, "model_key" text, "reason" text, "requested_by" uuid, "started_at" TIMESTAMP WITH TIME ZONE,
      "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_intent_model_versions" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_intent_model_versions_tenant" ON "intent_model_versions" ("tenant_id", "id")`);
    // One retraining waits or runs per tenant at a time: a second request (or the schedule on another process) finds it.
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_intent_model_versions_pending" ON "intent_model_versions" ("tenant_id") WHERE status IN ('queued', 'training')`);
    await queryRunner.query(`CREATE TABLE "conversation_reopens" (
      "id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "by" text NOT NULL, "message_id" uuid,
      "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_conversation_reopens" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_conversation_reopens_conversation" ON "conversation_reopens" ("tenant_id", "conversation_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_conversation_reopens_message" ON "conversation_reopens" ("tenant_id", "message_id") WHERE message_id IS NOT NULL`);
    await queryRunner.query(`INSERT INTO conversation_reopens (id, tenant_id, conversation_id, "by", created_at)
      SELECT a.id, a.tenant_id, c.id, 'staff', a.created_at FROM audit_logs a JOIN conversations c ON c.tenant_id = a.tenant_id AND c.id::text = a.target_id
       WHERE a.action = 'conversation.reopen'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "conversation_reopens"`);
    await queryRunner.query(`DROP TABLE "intent_model_versions"`);
    await queryRunner.query(`DROP TABLE "intent_training_examples"`);
  }
}
