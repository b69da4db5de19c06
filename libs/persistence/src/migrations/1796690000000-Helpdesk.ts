import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Helpdesk basics (issue 17): teams and their round-robin rotation, operators' availability and
 * notification preferences, the SLA clock and auto-close on conversations, and the record of
 * notification emails sent (one per event and person, whatever the number of gateway processes).
 */
export class Helpdesk1796690000000 implements MigrationInterface {
  name = 'Helpdesk1796690000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "teams" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "name" text NOT NULL, "receives_handoffs" boolean NOT NULL DEFAULT false, "last_assigned_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_teams" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_teams_name" ON "teams" ("tenant_id", "name")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_teams_receives_handoffs" ON "teams" ("tenant_id") WHERE "receives_handoffs"`);
    await queryRunner.query(
      `CREATE TABLE "team_members" ("team_id" uuid NOT NULL REFERENCES "teams"("id") ON DELETE CASCADE, "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE, "tenant_id" uuid NOT NULL, CONSTRAINT "PK_team_members" PRIMARY KEY ("team_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_team_members_user" ON "team_members" ("user_id")`);
    await queryRunner.query(`ALTER TABLE "users" ADD "availability" text NOT NULL DEFAULT 'online'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "notification_prefs" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "conversations" ADD "team_id" uuid`);
    await queryRunner.query(`ALTER TABLE "conversations" ADD "waiting_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "conversations" ADD "sla_breached_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "conversations" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "idx_conversations_waiting_since" ON "conversations" ("waiting_since") WHERE "waiting_since" IS NOT NULL AND "sla_breached_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "idx_conversations_resolved_open" ON "conversations" ("resolved_at") WHERE "status" = 'resolved' AND "closed_at" IS NULL`);
    await queryRunner.query(
      `CREATE TABLE "notification_deliveries" ("event_key" text NOT NULL, "user_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_notification_deliveries" PRIMARY KEY ("event_key", "user_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notification_deliveries"`);
    await queryRunner.query(`DROP INDEX "public"."idx_conversations_resolved_open"`);
    await queryRunner.query(`DROP INDEX "public"."idx_conversations_waiting_since"`);
    for (const column of ['closed_at', 'sla_breached_at', 'waiting_since', 'team_id']) await queryRunner.query(`ALTER TABLE "conversations" DROP COLUMN "${column}"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "notification_prefs"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "availability"`);
    await queryRunner.query(`DROP TABLE "team_members"`);
    await queryRunner.query(`DROP TABLE "teams"`);
  }
}
