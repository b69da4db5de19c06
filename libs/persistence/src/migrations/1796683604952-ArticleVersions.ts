import { MigrationInterface, QueryRunner } from 'typeorm';

/** Earlier versions of knowledge articles (issue 17): the body before each edit, so the console can diff and restore. */
export class ArticleVersions1796683604952 implements MigrationInterface {
  name = 'ArticleVersions1796683604952';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "knowledge_article_versions" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "article_id" uuid NOT NULL, "version" integer NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "url" text, "language" text NOT NULL, "tags" text array NOT NULL DEFAULT '{}', "published" boolean NOT NULL, "saved_at" TIMESTAMP WITH TIME ZONE NOT NULL, "replaced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_knowledge_article_versions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_knowledge_article_versions" ON "knowledge_article_versions" ("tenant_id", "article_id", "version")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_knowledge_article_versions"`);
    await queryRunner.query(`DROP TABLE "knowledge_article_versions"`);
  }
}
