import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The learning loop (issue 18): questions the agent could not answer, grouped by meaning into
 * knowledge gaps (a centroid per gap, grown one question at a time), and the review queue of
 * articles suggested from staff replies.
 */
export class LearningLoop1796680045152 implements MigrationInterface {
  name = 'LearningLoop1796680045152';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "knowledge_gaps" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'open', "label" text NOT NULL, "embedding_model" text NOT NULL, "centroid" real[] NOT NULL, "vector_sum" real[] NOT NULL, "size" integer NOT NULL DEFAULT 0, "channels" jsonb NOT NULL DEFAULT '{}', "closest_article_id" uuid, "closest_article_title" text, "closest_score" real, "closed_by_article_id" uuid, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dismissed_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_knowledge_gaps" PRIMARY KEY ("id"), CONSTRAINT "CHK_knowledge_gaps_status" CHECK ("status" IN ('open', 'dismissed', 'closed')))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_knowledge_gaps_tenant_status" ON "knowledge_gaps" ("tenant_id", "status", "size")`);
    await queryRunner.query(
      `CREATE TABLE "knowledge_gap_questions" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "gap_id" uuid NOT NULL, "message_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "text" text NOT NULL, "channel" text NOT NULL, "reason" text NOT NULL, "similarity" real NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_knowledge_gap_questions" PRIMARY KEY ("id"), CONSTRAINT "FK_knowledge_gap_questions_gap" FOREIGN KEY ("gap_id") REFERENCES "knowledge_gaps"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_knowledge_gap_questions_message" ON "knowledge_gap_questions" ("tenant_id", "message_id")`);
    await queryRunner.query(`CREATE INDEX "idx_knowledge_gap_questions_gap" ON "knowledge_gap_questions" ("gap_id", "created_at")`);
    await queryRunner.query(
      `CREATE TABLE "suggested_articles" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'pending', "source" text NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "question" text NOT NULL DEFAULT '', "answer" text NOT NULL DEFAULT '', "redactions" jsonb NOT NULL DEFAULT '[]', "merge_into_article_id" uuid, "merge_score" real, "gap_id" uuid, "conversation_id" uuid, "reply_message_id" uuid, "published_article_id" uuid, "reviewed_by" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_suggested_articles" PRIMARY KEY ("id"), CONSTRAINT "CHK_suggested_articles_status" CHECK ("status" IN ('pending', 'approved', 'rejected')))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_suggested_articles_tenant_status" ON "suggested_articles" ("tenant_id", "status", "id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_suggested_articles_reply" ON "suggested_articles" ("tenant_id", "reply_message_id") WHERE "reply_message_id" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_suggested_articles_reply"`);
    await queryRunner.query(`DROP INDEX "public"."idx_suggested_articles_tenant_status"`);
    await queryRunner.query(`DROP TABLE "suggested_articles"`);
    await queryRunner.query(`DROP INDEX "public"."idx_knowledge_gap_questions_gap"`);
    await queryRunner.query(`DROP INDEX "public"."uq_knowledge_gap_questions_message"`);
    await queryRunner.query(`DROP TABLE "knowledge_gap_questions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_knowledge_gaps_tenant_status"`);
    await queryRunner.query(`DROP TABLE "knowledge_gaps"`);
  }
}
