import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An import's heartbeat: every progress write bumps `updated_at`, so a "running" import whose
 * heartbeat stopped lost its process and can be marked failed instead of polling forever.
 */
export class KnowledgeImportHeartbeat1795635062949 implements MigrationInterface {
  name = 'KnowledgeImportHeartbeat1795635062949';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "knowledge_imports" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "knowledge_imports" DROP COLUMN "updated_at"`);
  }
}
