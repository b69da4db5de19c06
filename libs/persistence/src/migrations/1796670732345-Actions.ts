import { MigrationInterface, QueryRunner } from 'typeorm';

/** Actions on the shop (issue 15): the tenant's backends (secrets encrypted), a flow per conversation, the ledger of mutating calls. */
export class Actions1796670732345 implements MigrationInterface {
  name = 'Actions1796670732345';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "action_backends" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "backend_id" text NOT NULL, "name" text NOT NULL, "settings" jsonb NOT NULL DEFAULT '{}', "secrets_encrypted" text, "status" text NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_action_backends" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_action_backends_tenant" ON "action_backends" ("tenant_id")`);
    await queryRunner.query(
      `CREATE TABLE "action_flows" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "action" text NOT NULL, "step" text NOT NULL, "slots" jsonb NOT NULL DEFAULT '{}', "identity_attempts" integer NOT NULL DEFAULT 0, "idempotency_key" text, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_action_flows" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_action_flows_conversation" ON "action_flows" ("conversation_id")`);
    await queryRunner.query(
      `CREATE TABLE "action_calls" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "backend_id" text NOT NULL, "action" text NOT NULL, "idempotency_key" text NOT NULL, "request" jsonb NOT NULL DEFAULT '{}', "status" text NOT NULL, "result" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_action_calls" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_action_calls_key" ON "action_calls" ("tenant_id", "idempotency_key")`);
    await queryRunner.query(`CREATE INDEX "idx_action_calls_conversation" ON "action_calls" ("conversation_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_action_calls_conversation"`);
    await queryRunner.query(`DROP INDEX "public"."uq_action_calls_key"`);
    await queryRunner.query(`DROP TABLE "action_calls"`);
    await queryRunner.query(`DROP INDEX "public"."uq_action_flows_conversation"`);
    await queryRunner.query(`DROP TABLE "action_flows"`);
    await queryRunner.query(`DROP INDEX "public"."idx_action_backends_tenant"`);
    await queryRunner.query(`DROP TABLE "action_backends"`);
  }
}
