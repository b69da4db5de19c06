import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1795624077024 implements MigrationInterface {
    name = 'Init1795624077024'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "tenants" ("id" uuid NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, "settings" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_2310ecc5cb8be427097154b18fc" UNIQUE ("slug"), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL, "tenant_id" uuid, "email" text NOT NULL, "name" text, "password_hash" text NOT NULL, "role" text NOT NULL, "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users" ("email") `);
        await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "name" text NOT NULL, "prefix" text NOT NULL, "key_hash" text NOT NULL, "scopes" text array NOT NULL DEFAULT '{}', "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_57384430aa1959f4578046c9b8" ON "api_keys" ("key_hash") `);
        await queryRunner.query(`CREATE TABLE "channel_accounts" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "connector_id" text NOT NULL, "name" text NOT NULL, "settings" jsonb NOT NULL DEFAULT '{}', "secrets_encrypted" text, "public_key" text, "status" text NOT NULL DEFAULT 'active', "status_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b23fdcb822c5261260a4c88041e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_09672d2e0cef8546b8aa183b73" ON "channel_accounts" ("tenant_id", "connector_id") `);
        await queryRunner.query(`CREATE TABLE "contacts" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "name" text, "email" text, "phone" text, "company" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "contact_identities" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "channel" text NOT NULL, "external_user_id" text NOT NULL, "address" text, "display_name" text, "opted_out_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_38de992d13ad0ef3975ca176935" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_02210ecab6897d0482b077ab6b" ON "contact_identities" ("tenant_id", "channel", "external_user_id") `);
        await queryRunner.query(`CREATE TABLE "conversations" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "channel" text NOT NULL, "connector_id" text NOT NULL, "channel_account_id" uuid, "external_thread_id" text, "status" text NOT NULL DEFAULT 'bot', "assignee_id" uuid, "subject" text, "intent" text, "summary" text, "channel_data" jsonb NOT NULL DEFAULT '{}', "last_message_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ee34f4f7ced4ec8681f26bf04ef" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_e62e4340325f2cbcf7d32ff009" ON "conversations" ("tenant_id", "contact_id", "channel") `);
        await queryRunner.query(`CREATE INDEX "IDX_b6b53642655f13fc195b748449" ON "conversations" ("tenant_id", "status", "last_message_at") `);
        await queryRunner.query(`CREATE TABLE "messages" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "direction" text NOT NULL, "author_kind" text NOT NULL, "author_id" uuid, "connector_id" text NOT NULL, "parts" jsonb NOT NULL DEFAULT '[]', "text" text NOT NULL DEFAULT '', "external_message_id" text, "reply_to_message_id" uuid, "private" boolean NOT NULL DEFAULT false, "delivery_state" text NOT NULL DEFAULT 'received', "error_code" text, "error_message" text, "channel_data" jsonb NOT NULL DEFAULT '{}', "trace" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_bot_reply" ON "messages" ("reply_to_message_id") WHERE author_kind = 'bot'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_inbound_external" ON "messages" ("tenant_id", "connector_id", "external_message_id") WHERE direction = 'in'`);
        await queryRunner.query(`CREATE INDEX "IDX_ca4fa0da4f56f8d7a19b7ee348" ON "messages" ("tenant_id", "conversation_id", "id") `);
        await queryRunner.query(`CREATE TABLE "attachments" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "message_id" uuid, "name" text, "mime_type" text, "size" integer NOT NULL DEFAULT '0', "content" bytea, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_55eef3a8bf6ee087491f5382ca" ON "attachments" ("tenant_id", "message_id") `);
        await queryRunner.query(`CREATE TABLE "knowledge_articles" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "slug" text NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "url" text, "language" text NOT NULL DEFAULT 'en', "tags" text array NOT NULL DEFAULT '{}', "version" integer NOT NULL DEFAULT '1', "published" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4dff86fc9e08f53fe1d4cfe5fb1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_515b55af774597e8d190486481" ON "knowledge_articles" ("tenant_id", "slug") `);
        await queryRunner.query(`CREATE TABLE "knowledge_chunks" ("id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "article_id" uuid NOT NULL, "ordinal" integer NOT NULL, "heading" text NOT NULL DEFAULT '', "content" text NOT NULL, "language" text NOT NULL DEFAULT 'en', "content_hash" text NOT NULL, "embedding" real array, "embedding_model" text, "tsv" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce("heading", '') || ' ' || "content")) STORED, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_81af684d79d321813c41019a5cd" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_950b0ecd19aebb5fbd7e303454" ON "knowledge_chunks" ("tenant_id", "article_id", "ordinal") `);
        // Hand-added: full-text index on chunks, one account per public key per connector.
        await queryRunner.query(`CREATE INDEX "idx_knowledge_chunks_tsv" ON "knowledge_chunks" USING GIN ("tsv")`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_channel_accounts_public_key" ON "channel_accounts" ("connector_id", "public_key") WHERE public_key IS NOT NULL`);
        await queryRunner.query(`CREATE TABLE "connector_cursors" ("channel_account_id" uuid NOT NULL, "key" text NOT NULL, "value" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f71f1a18bd140fbd53f4d2c5243" PRIMARY KEY ("channel_account_id", "key"))`);
        await queryRunner.query(`CREATE TABLE "idempotency_keys" ("key" text NOT NULL, "tenant_id" uuid, "result" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0afd83cbf08c9d12089a9bffc5e" PRIMARY KEY ("key"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_channel_accounts_public_key"`);
        await queryRunner.query(`DROP INDEX "public"."idx_knowledge_chunks_tsv"`);
        await queryRunner.query(`DROP TABLE "idempotency_keys"`);
        await queryRunner.query(`DROP TABLE "connector_cursors"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_950b0ecd19aebb5fbd7e303454"`);
        await queryRunner.query(`DROP TABLE "knowledge_chunks"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_515b55af774597e8d190486481"`);
        await queryRunner.query(`DROP TABLE "knowledge_articles"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_55eef3a8bf6ee087491f5382ca"`);
        await queryRunner.query(`DROP TABLE "attachments"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_ca4fa0da4f56f8d7a19b7ee348"`);
        await queryRunner.query(`DROP INDEX "public"."uq_messages_inbound_external"`);
        await queryRunner.query(`DROP INDEX "public"."uq_messages_bot_reply"`);
        await queryRunner.query(`DROP TABLE "messages"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_b6b53642655f13fc195b748449"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e62e4340325f2cbcf7d32ff009"`);
        await queryRunner.query(`DROP TABLE "conversations"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_02210ecab6897d0482b077ab6b"`);
        await queryRunner.query(`DROP TABLE "contact_identities"`);
        await queryRunner.query(`DROP TABLE "contacts"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_09672d2e0cef8546b8aa183b73"`);
        await queryRunner.query(`DROP TABLE "channel_accounts"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_57384430aa1959f4578046c9b8"`);
        await queryRunner.query(`DROP TABLE "api_keys"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_97672ac88f789774dd47f7c8be"`);
        await queryRunner.query(`DROP TABLE "users"`);
        await queryRunner.query(`DROP TABLE "tenants"`);
    }

}
