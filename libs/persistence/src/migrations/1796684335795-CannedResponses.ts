import { MigrationInterface, QueryRunner } from 'typeorm';

/** Canned responses per tenant (issue 17): replies with placeholders the console inserts into the composer. */
export class CannedResponses1796684335795 implements MigrationInterface {
  name = 'CannedResponses1796684335795';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "canned_responses" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "shortcut" text NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_canned_responses" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_canned_responses_shortcut" ON "canned_responses" ("tenant_id", "shortcut")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_canned_responses_shortcut"`);
    await queryRunner.query(`DROP TABLE "canned_responses"`);
  }
}
