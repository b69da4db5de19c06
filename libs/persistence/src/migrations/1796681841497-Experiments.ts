import { MigrationInterface, QueryRunner } from 'typeorm';

/** A/B tests of a tenant's reply settings (issue 18): one experiment at a time runs per tenant, its arms in tenants.settings.experiment. */
export class Experiments1796681841497 implements MigrationInterface {
  name = 'Experiments1796681841497';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "experiments" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "name" text NOT NULL, "setting" text NOT NULL, "arms" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'running', "winner" text, "promoted" boolean NOT NULL DEFAULT false, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "stopped_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_experiments" PRIMARY KEY ("id"), CONSTRAINT "CHK_experiments_status" CHECK ("status" IN ('running', 'stopped')))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_experiments_tenant" ON "experiments" ("tenant_id", "id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_experiments_running" ON "experiments" ("tenant_id") WHERE "status" = 'running'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_experiments_running"`);
    await queryRunner.query(`DROP INDEX "public"."idx_experiments_tenant"`);
    await queryRunner.query(`DROP TABLE "experiments"`);
  }
}
