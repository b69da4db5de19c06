// Run by email-connector-embedded.int-spec.ts as `node dist/test/integration/email/embedded-sql.check.js`:
// PGlite cannot load inside jest's VM, so the embedded-database half of the check runs in a plain
// Node process. It opens PGlite in EMBEDDED_DATA_DIR, runs the connector against the IMAP and SMTP
// servers the spec started, and prints what it saw as one `RESULT {...}` line.
import { newId } from '@cs/contracts';
import { openDataSource } from '@cs/persistence';
import type { DovecotServer } from './dovecot.harness';
import { EmailTestTenant, until } from './email-test-kit';
import type { SmtpSink } from './smtp-sink.harness';

async function main(): Promise<void> {
  const env = (name: string) => process.env[name] ?? '';
  const imap = { host: '127.0.0.1', port: Number(env('IMAP_PORT')), user: env('IMAP_USER'), password: env('IMAP_PASSWORD') } as DovecotServer;
  const smtp = { host: '127.0.0.1', port: Number(env('SMTP_PORT')), user: env('SMTP_USER'), password: env('SMTP_PASSWORD') } as SmtpSink;
  const ds = await openDataSource({ dataDir: env('EMBEDDED_DATA_DIR') }, { migrate: true });
  const shop = await EmailTestTenant.create(ds, imap, smtp);
  const { conversationId } = await shop.seedConversation('nobody@example.org', 'Where is my parcel?');
  const bounced = await shop.seedMessage(conversationId, 'out', '0194b7e2-eeee-7bbb-8ccc-0a1b2c3d4e5f@shop.test');
  const running = await shop.startConnector();
  try {
    await until('two mails on the bus', () => running.inbound.length >= 2);
    const [invoice, reply] = running.inbound;
    const file = invoice.envelope.data.parts.find((p) => p.type === 'file') as { attachmentId: string };
    const stored = { bytes: (await shop.files.content(shop.tenantId, file.attachmentId))?.length };
    const [bounce] = await ds.query(`SELECT delivery_state FROM messages WHERE id = $1`, [bounced]);
    // The cursor moves after the publish and the IMAP flag: wait for it rather than race it.
    const cursor = await until('the cursor past the third mail', async () => {
      const rows: { value: { lastUid: number } }[] = await ds.query(`SELECT value FROM connector_cursors WHERE channel_account_id = $1`, [shop.accountId]);
      return rows[0]?.value.lastUid === 3 && rows[0];
    }, 5_000).catch(() => null);
    const inboundId = await shop.seedMessage(conversationId, 'in', 'e1@example.org', { text: 'Any news?', channelData: { subject: 'Re: Where is my parcel?' } });
    const sent = await running.connector.send(
      {
        messageId: newId(), conversationId, replyToMessageId: inboundId, connectorId: 'email', channel: 'email', channelAccountId: shop.accountId,
        target: { externalUserId: 'nobody@example.org' }, authorKind: 'bot', parts: [{ type: 'text', text: 'It left our warehouse today.' }],
        channelData: {}, idempotencyKey: newId(),
      },
      await shop.accountRef(),
    );
    const result = {
      attachmentBytes: stored?.bytes,
      replyConversationId: reply.envelope.conversationId,
      expectedConversationId: conversationId,
      bounceState: bounce?.delivery_state,
      cursor: cursor?.value,
      sentMessageId: sent.externalMessageId,
    };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await running.stop();
    await ds.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
