import { MigrationInterface, QueryRunner } from 'typeorm';

/** The email connector's per-sender hourly cap, shared by every connectors process and kept across restarts. */
export class EmailSenderCounts1795628400000 implements MigrationInterface {
  name = 'EmailSenderCounts1795628400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "email_sender_counts" ("channel_account_id" uuid NOT NULL, "address" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "mails" integer NOT NULL, CONSTRAINT "PK_email_sender_counts" PRIMARY KEY ("channel_account_id", "address"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_sender_counts"`);
  }
}
