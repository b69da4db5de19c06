import { MigrationInterface, QueryRunner } from 'typeorm';

/** Dead letters: bus messages a consumer gave up on, with the reason, listable and replayable. */
export class DeadLetters1796668863597 implements MigrationInterface {
  name = 'DeadLetters1796668863597';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "dead_letters" ("id" uuid NOT NULL, "tenant_id" uuid, "consumer" text NOT NULL, "original_subject" text NOT NULL, "reason" text NOT NULL, "kind" text NOT NULL, "delivery_count" integer NOT NULL, "envelope" jsonb NOT NULL, "dead_lettered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_key" text NOT NULL, "replayed_at" TIMESTAMP WITH TIME ZONE, "replay_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dead_letters" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_dead_letters_tenant" ON "dead_letters" ("tenant_id", "dead_lettered_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_dead_letters_source" ON "dead_letters" ("source_key") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_dead_letters_source"`);
    await queryRunner.query(`DROP INDEX "public"."idx_dead_letters_tenant"`);
    await queryRunner.query(`DROP TABLE "dead_letters"`);
  }
}
