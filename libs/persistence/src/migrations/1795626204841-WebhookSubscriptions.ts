import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound webhooks: per-tenant HTTP endpoints told about conversation events, HMAC-signed. */
export class WebhookSubscriptions1795626204841 implements MigrationInterface {
  name = 'WebhookSubscriptions1795626204841';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_subscriptions" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "url" text NOT NULL, "events" text array NOT NULL DEFAULT '{}', "secret_encrypted" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "last_delivery_at" TIMESTAMP WITH TIME ZONE, "last_status" text, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_webhook_subscriptions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_webhook_subscriptions_tenant" ON "webhook_subscriptions" ("tenant_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_webhook_subscriptions_tenant"`);
    await queryRunner.query(`DROP TABLE "webhook_subscriptions"`);
  }
}
