import { MigrationInterface, QueryRunner } from 'typeorm';

/** The customer's satisfaction rating (1 to 5) of a conversation, for CSAT in the console's analytics. */
export class ConversationFeedback1795628203988 implements MigrationInterface {
  name = 'ConversationFeedback1795628203988';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "conversation_feedback" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "rating" smallint NOT NULL, "rated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_conversation_feedback" PRIMARY KEY ("id"), CONSTRAINT "CHK_conversation_feedback_rating" CHECK ("rating" BETWEEN 1 AND 5))`,
    );
    // One rating per conversation: rating again replaces it.
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_conversation_feedback_conversation" ON "conversation_feedback" ("conversation_id")`);
    await queryRunner.query(`CREATE INDEX "idx_conversation_feedback_tenant_rated" ON "conversation_feedback" ("tenant_id", "rated_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_conversation_feedback_tenant_rated"`);
    await queryRunner.query(`DROP INDEX "public"."uq_conversation_feedback_conversation"`);
    await queryRunner.query(`DROP TABLE "conversation_feedback"`);
  }
}
