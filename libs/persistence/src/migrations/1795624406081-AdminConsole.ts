import { MigrationInterface, QueryRunner } from 'typeorm';

/** Admin console: refresh tokens (hashed, rotated), the audit log, full-text search over messages. */
export class AdminConsole1795624406081 implements MigrationInterface {
  name = 'AdminConsole1795624406081';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "tenant_id" uuid, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "replaced_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_refresh_tokens" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "idx_refresh_tokens_user" ON "refresh_tokens" ("user_id")`);
    await queryRunner.query(
      `CREATE TABLE "audit_logs" ("id" uuid NOT NULL, "tenant_id" uuid, "actor_kind" text NOT NULL, "actor_id" uuid, "action" text NOT NULL, "target_type" text, "target_id" text, "detail" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_audit_logs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_audit_logs_tenant" ON "audit_logs" ("tenant_id", "id")`);
    // The inbox searches message text; the expression must match the one in the console's query.
    await queryRunner.query(
      `CREATE INDEX "idx_messages_text_search" ON "messages" USING GIN (to_tsvector('english'::regconfig, "text"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_messages_text_search"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_logs_tenant"`);
    await queryRunner.query(`DROP TABLE "audit_logs"`);
    await queryRunner.query(`DROP INDEX "public"."idx_refresh_tokens_user"`);
    await queryRunner.query(`DROP INDEX "public"."uq_refresh_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
  }
}
