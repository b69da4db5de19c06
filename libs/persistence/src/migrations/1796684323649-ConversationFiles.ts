import { MigrationInterface, QueryRunner } from 'typeorm';

/** Files of a whole conversation rather than of one message (a call's recording, issue 16): the attachment names its conversation. */
export class ConversationFiles1796684323649 implements MigrationInterface {
  name = 'ConversationFiles1796684323649';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "attachments" ADD "conversation_id" uuid`);
    await queryRunner.query(`CREATE INDEX "idx_attachments_conversation" ON "attachments" ("tenant_id", "conversation_id") WHERE conversation_id IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_attachments_conversation"`);
    await queryRunner.query(`ALTER TABLE "attachments" DROP COLUMN "conversation_id"`);
  }
}
