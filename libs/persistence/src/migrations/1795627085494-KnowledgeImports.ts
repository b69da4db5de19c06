import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bulk knowledge imports run in the background; their progress is a row the console polls. */
export class KnowledgeImports1795627085494 implements MigrationInterface {
  name = 'KnowledgeImports1795627085494';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "knowledge_imports" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'running', "total" integer NOT NULL DEFAULT 0, "processed" integer NOT NULL DEFAULT 0, "created" integer NOT NULL DEFAULT 0, "updated" integer NOT NULL DEFAULT 0, "unchanged" integer NOT NULL DEFAULT 0, "failed" integer NOT NULL DEFAULT 0, "errors" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_knowledge_imports" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_knowledge_imports_tenant" ON "knowledge_imports" ("tenant_id", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_knowledge_imports_tenant"`);
    await queryRunner.query(`DROP TABLE "knowledge_imports"`);
  }
}
