import { MigrationInterface, QueryRunner } from 'typeorm';

/** Labels on conversations (issue 17): set by the staff, filtered on in the inbox. */
export class ConversationLabels1796684816832 implements MigrationInterface {
  name = 'ConversationLabels1796684816832';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conversations" ADD "labels" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE INDEX "idx_conversations_labels" ON "conversations" USING GIN ("labels")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_conversations_labels"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP COLUMN "labels"`);
  }
}
