import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments in object storage (issue 16): the row names its object (`storage_key`) and the type
 * its bytes were recognised as (`detected_type`). Attachments stored before their message had
 * `message_id` NULL and nothing linked them: each is tied here to the inbound message whose parts
 * name it (a one-off, in SQL, because it needs nothing but the two tables). Their bytes stay in
 * `content` until `npm run migrate` (or the embedded start) moves them to storage.
 */
export class AttachmentStorage1796679013994 implements MigrationInterface {
  name = 'AttachmentStorage1796679013994';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "attachments" ADD "storage_key" text`);
    await queryRunner.query(`ALTER TABLE "attachments" ADD "detected_type" text`);
    await queryRunner.query(
      `UPDATE attachments a SET message_id = m.id
         FROM messages m, jsonb_array_elements(m.parts) p
        WHERE a.message_id IS NULL AND m.tenant_id = a.tenant_id AND m.direction = 'in'
          AND jsonb_typeof(m.parts) = 'array' AND p->>'attachmentId' = a.id::text`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "attachments" DROP COLUMN "detected_type"`);
    await queryRunner.query(`ALTER TABLE "attachments" DROP COLUMN "storage_key"`);
  }
}
