import { MigrationInterface, QueryRunner } from 'typeorm';

/** The orphan-file sweep (issue 16) finds files no message or conversation names, oldest first, without reading the whole table. */
export class UnlinkedFiles1796689000000 implements MigrationInterface {
  name = 'UnlinkedFiles1796689000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_attachments_unlinked" ON "attachments" ("created_at") WHERE message_id IS NULL AND conversation_id IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_attachments_unlinked"`);
  }
}
