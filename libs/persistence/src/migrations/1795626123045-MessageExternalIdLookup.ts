import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email threading looks up every In-Reply-To/References id among a tenant's messages, ours
 * (outbound) included, and bounces find the outbound mail they report on. The unique index on
 * external ids covers inbound rows only.
 */
export class MessageExternalIdLookup1795626123045 implements MigrationInterface {
  name = 'MessageExternalIdLookup1795626123045';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_messages_tenant_external" ON "messages" ("tenant_id", "external_message_id") WHERE external_message_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_messages_tenant_external"`);
  }
}
