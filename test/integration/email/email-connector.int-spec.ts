import { readFileSync } from 'fs';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { BusSubjects, ConnectorError, newId, type Envelope, type InboundMessage, type OutboundMessage } from '@cs/contracts';
import { openDataSource } from '@cs/persistence';
import { createTestDatabase } from '@cs/testing';
import { startDovecot, type DovecotServer } from './dovecot.harness';
import { EmailTestTenant, FIXTURES, SUPPORT, mail, textOfInbound, until, type RunningConnector } from './email-test-kit';
import { startSmtpSink, type SmtpSink } from './smtp-sink.harness';

let ds: DataSource;
let imap: DovecotServer;
let smtp: SmtpSink;
let shop: EmailTestTenant;
let tenantId: string;
let accountId: string;

beforeAll(async () => {
  [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
  // A database of its own: apps other specs boot run the email connector too, and would otherwise
  // find this spec's mailbox account and read its test mail.
  ds = await openDataSource({ databaseUrl: await createTestDatabase('email'), poolSize: 4 }, { migrate: false });
  shop = await EmailTestTenant.create(ds, imap, smtp);
  ({ tenantId, accountId } = shop);
}, 60_000);

afterAll(async () => {
  await ds?.destroy();
  await Promise.all([imap?.stop(), smtp?.stop()]);
});

describe('the email connector against real IMAP and SMTP servers', () => {
  let running: RunningConnector | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
  });

  it('publishes a question appended to the INBOX once, without the quoted history, and marks the mail seen', async () => {
    running = await shop.startConnector();
    await imap.append(
      mail({
        from: 'Jane Doe <jane@customer.example>',
        subject: 'Delivery to Austria',
        id: 'q1@customer.example',
        body: 'How long does delivery take to Austria?\r\n\r\nOn Mon, 13 Jan 2025 Someone <x@y.z> wrote:\r\n> an older mail',
      }),
    );
    const published = await until('the question on the bus', () => running!.inbound[0]);
    expect(published.subject).toBe(BusSubjects.msgIn('email', tenantId));
    expect(published.msgId).toBe('email:q1@customer.example');
    expect(published.envelope.conversationId).toBeUndefined();
    expect(published.envelope.data).toEqual(
      expect.objectContaining({
        channelAccountId: accountId,
        externalMessageId: 'q1@customer.example',
        externalThreadId: 'q1@customer.example',
        sender: { externalUserId: 'jane@customer.example', address: 'jane@customer.example', displayName: 'Jane Doe' },
      }),
    );
    expect(textOfInbound(published)).toBe('How long does delivery take to Austria?');
    await until('the mail flagged as seen', async () => (await imap.list()).every((m) => m.flags.includes('\\Seen')));
    expect(running.inbound).toHaveLength(1);
  });

  it('after a restart republishes nothing, even mail marked unread again, and picks up what arrived while it was down', async () => {
    running = await shop.startConnector();
    await imap.append(mail({ from: 'bob@customer.example', subject: 'Gift wrap', id: 'q2@customer.example', body: 'Do you offer gift wrapping?' }));
    await until('q2 on the bus', () => running!.inbound.find((m) => m.envelope.data.externalMessageId === 'q2@customer.example'));
    await running.stop();

    // The cursor, not the \Seen flag, is what keeps handled mail from being answered again.
    await imap.markAllUnseen();
    await imap.append(mail({ from: 'carol@customer.example', subject: 'Invoice', id: 'q3@customer.example', body: 'Can I get an invoice?' }));
    running = await shop.startConnector(); // a fresh bus: a republish would not be hidden by the bus's dedupe
    await until('q3 on the bus', () => running!.inbound.find((m) => m.envelope.data.externalMessageId === 'q3@customer.example'));
    await running.connector.syncAll();
    expect(running.inbound.map((m) => m.envelope.data.externalMessageId)).toEqual(['q3@customer.example']);
  });

  it('reconnects after the IMAP server restarts and answers the mail that arrived meanwhile', async () => {
    running = await shop.startConnector();
    await imap.append(mail({ from: 'frank@customer.example', subject: 'Before', id: 'rc1@customer.example', body: 'First question?' }));
    await until('rc1 on the bus', () => running!.inbound.find((m) => m.envelope.data.externalMessageId === 'rc1@customer.example'));

    await imap.restart();
    await imap.append(mail({ from: 'frank@customer.example', subject: 'After', id: 'rc2@customer.example', body: 'Second question?' }));
    await until('rc2 on the bus', () => running!.inbound.find((m) => m.envelope.data.externalMessageId === 'rc2@customer.example'), 20_000);
    expect(running.inbound.map((m) => m.envelope.data.externalMessageId)).toEqual(['rc1@customer.example', 'rc2@customer.example']);
  });

  it('moves handled mail to the configured folder', async () => {
    await ds.query(`UPDATE channel_accounts SET settings = settings || '{"moveToFolder": "Handled"}'::jsonb WHERE id = $1`, [accountId]);
    try {
      running = await shop.startConnector();
      await imap.append(mail({ from: 'gina@customer.example', subject: 'Move me', id: 'mv1@customer.example', body: 'Is the shop open on Sunday?' }));
      await until('mv1 on the bus', () => running!.inbound.find((m) => m.envelope.data.externalMessageId === 'mv1@customer.example'));
      const moved = await until('the mail in Handled', async () => (await imap.list('Handled'))[0]);
      expect(moved).toEqual(expect.objectContaining({ messageId: '<mv1@customer.example>', flags: expect.arrayContaining(['\\Seen']) }));
      expect((await imap.list()).map((m) => m.messageId)).not.toContain('<mv1@customer.example>');
    } finally {
      await ds.query(`UPDATE channel_accounts SET settings = settings - 'moveToFolder' WHERE id = $1`, [accountId]);
    }
  });

  it('with two connector processes starting on one mailbox with a backlog, publishes each mail once and lets the standby take over', async () => {
    // A new deployment with two replicas: no cursor yet, five unread mails waiting.
    await ds.query(`DELETE FROM connector_cursors WHERE channel_account_id = $1`, [accountId]);
    const backlog = [1, 2, 3, 4, 5].map((i) => `ha${i}@customer.example`);
    for (const id of backlog) await imap.append(mail({ from: id.replace('@', '.sender@'), subject: `Backlog ${id}`, id, body: 'Do you ship to Japan?' }));
    const both = await Promise.all([shop.startConnector(), shop.startConnector()]);
    const published = (id: string) => both.flatMap((r) => r.inbound).filter((m) => m.envelope.data.externalMessageId === id);
    try {
      await until('the backlog on the buses', () => backlog.every((id) => published(id).length > 0));
      await new Promise((r) => setTimeout(r, 1000));
      expect(backlog.map((id) => published(id).length)).toEqual([1, 1, 1, 1, 1]);

      const [watching, standby] = both[0].inbound.some((m) => backlog.includes(m.envelope.data.externalMessageId)) ? both : [both[1], both[0]];
      await watching.stop();
      await imap.append(mail({ from: 'hana@customer.example', subject: 'Later', id: 'ha6@customer.example', body: 'And to Korea?' }));
      await until('ha6 on the standby', () => standby.inbound.find((m) => m.envelope.data.externalMessageId === 'ha6@customer.example'), 15_000);
      expect(published('ha6@customer.example')).toHaveLength(1);
    } finally {
      await Promise.all(both.map((r) => r.stop()));
    }
  });

  it('answers neither an out-of-office, a bounce nor a mailing-list mail, and a bounce marks our reply failed', async () => {
    const { conversationId } = await shop.seedConversation('nobody@example.org', 'Where is my parcel?');
    const replyId = await shop.seedMessage(conversationId, 'out', '0194b7e2-eeee-7bbb-8ccc-0a1b2c3d4e5f@shop.test');
    running = await shop.startConnector();
    for (const file of ['out-of-office.eml', 'bounce-dsn.eml', 'mailing-list.eml', 'noreply-sender.eml']) {
      await imap.append(readFileSync(join(FIXTURES, file)));
    }
    // A question appended last: once it is on the bus, everything before it has been handled.
    await imap.append(mail({ from: 'dave@customer.example', subject: 'Sizes', id: 'q4@customer.example', body: 'Do you have size XL?' }));
    await until('the sentinel on the bus', () => running!.inbound.find((m) => m.envelope.data.externalMessageId === 'q4@customer.example'));
    expect(running.inbound.map((m) => m.envelope.data.externalMessageId)).toEqual(['q4@customer.example']);

    const [row] = await ds.query(`SELECT delivery_state, error_code, error_message FROM messages WHERE id = $1`, [replyId]);
    expect(row).toEqual({ delivery_state: 'failed', error_code: 'INVALID_RECIPIENT', error_message: expect.stringContaining('User unknown') });
    const status = await until('the failed status on the bus', () => running!.statuses[0]);
    expect(status.envelope.data).toEqual(expect.objectContaining({ messageId: replyId, state: 'failed', errorCode: 'BOUNCED' }));
  });

  it("continues the same contact's conversation by In-Reply-To or subject token, never another contact's", async () => {
    const { conversationId } = await shop.seedConversation('jane.t@customer.example', 'Return label');
    await shop.seedMessage(conversationId, 'out', 'our-reply-1@shop.test');
    running = await shop.startConnector();
    await imap.append(mail({ from: 'jane.t@customer.example', subject: 'Re: Return label', id: 'r1@customer.example', body: 'Thanks, got it.', headers: ['In-Reply-To: <our-reply-1@shop.test>', 'References: <our-reply-1@shop.test>'] }));
    await imap.append(mail({ from: 'mallory@customer.example', subject: 'Re: Return label', id: 'r2@customer.example', body: 'Me too?', headers: ['In-Reply-To: <our-reply-1@shop.test>'] }));
    const token = conversationId.replace(/-/g, '').slice(-8);
    await imap.append(mail({ from: 'jane.t@customer.example', subject: `Re: Return label [#${token}]`, id: 'r3@customer.example', body: 'One more thing.' }));
    await imap.append(mail({ from: 'jane.t@customer.example', subject: 'A new question', id: 'r4@customer.example', body: 'Do you ship to Norway?' }));
    await until('four mails on the bus', () => running!.inbound.length >= 4);

    const byId = new Map(running.inbound.map((m) => [m.envelope.data.externalMessageId, m.envelope] as const));
    expect(byId.get('r1@customer.example')?.conversationId).toBe(conversationId);
    expect(byId.get('r2@customer.example')?.conversationId).toBeUndefined();
    expect(byId.get('r3@customer.example')?.conversationId).toBe(conversationId);
    expect(byId.get('r4@customer.example')?.conversationId).toBeUndefined();
    expect((byId.get('r4@customer.example') as Envelope<InboundMessage>).data.externalThreadId).toBe('r4@customer.example');
  });

  it('stores attachments in object storage and puts only a reference on the bus', async () => {
    running = await shop.startConnector();
    await imap.append(readFileSync(join(FIXTURES, 'winmail-dat.eml')));
    const published = await until('the mail on the bus', () => running!.inbound[0]);
    const file = published.envelope.data.parts.find((p) => p.type === 'file');
    expect(file).toEqual(expect.objectContaining({ name: 'winmail.dat', mimeType: 'application/ms-tnef', attachmentId: expect.any(String) }));
    const id = (file as { attachmentId: string }).attachmentId;
    const [row] = await ds.query(`SELECT tenant_id, name, size, content FROM attachments WHERE id = $1`, [id]);
    expect(row).toEqual({ tenant_id: tenantId, name: 'winmail.dat', size: 600, content: null });
    expect((await shop.files.content(tenantId, id))?.length).toBe(600);
  });

  it('stops answering a sender past the hourly cap', async () => {
    running = await shop.startConnector();
    for (let i = 1; i <= 4; i++) {
      await imap.append(mail({ from: 'loop@customer.example', subject: `Ticket ${i}`, id: `cap${i}@customer.example`, body: `Message ${i}` }));
    }
    await imap.append(mail({ from: 'eve@customer.example', subject: 'Sentinel', id: 'cap-sentinel@customer.example', body: 'Hello?' }));
    await until('the sentinel on the bus', () => running!.inbound.find((m) => m.envelope.data.externalMessageId === 'cap-sentinel@customer.example'));
    expect(running.inbound.filter((m) => m.envelope.data.sender.address === 'loop@customer.example')).toHaveLength(3);
  });

  it('keeps counting a sender against the hourly cap across a restart', async () => {
    const flood = (i: number) => mail({ from: 'flood@customer.example', subject: `Ticket ${i}`, id: `flood${i}@customer.example`, body: `Message ${i}` });
    running = await shop.startConnector();
    for (const i of [1, 2]) await imap.append(flood(i));
    await until('both mails on the bus', () => running!.inbound.filter((m) => m.envelope.data.sender.address === 'flood@customer.example').length === 2);
    await running.stop();

    running = await shop.startConnector(); // a new process: only the database remembers the count
    for (const i of [3, 4]) await imap.append(flood(i));
    await imap.append(mail({ from: 'fred@customer.example', subject: 'Sentinel', id: 'flood-sentinel@customer.example', body: 'Hello?' }));
    await until('the sentinel on the bus', () => running!.inbound.find((m) => m.envelope.data.externalMessageId === 'flood-sentinel@customer.example'));
    expect(running.inbound.filter((m) => m.envelope.data.sender.address === 'flood@customer.example').map((m) => m.envelope.data.externalMessageId)).toEqual(['flood3@customer.example']);
  });

  it('sends one threaded reply with the right headers, text and HTML', async () => {
    const { conversationId } = await shop.seedConversation('jane.s@customer.example', 'Delivery to Austria');
    const inboundId = await shop.seedMessage(conversationId, 'in', 'ask-1@customer.example', {
      text: 'How long does delivery take to Austria?',
      channelData: { subject: 'Delivery to Austria', references: ['older-0@customer.example'] },
    });
    running = await shop.startConnector();
    const out: OutboundMessage = {
      messageId: newId(),
      conversationId,
      replyToMessageId: inboundId,
      connectorId: 'email',
      channel: 'email',
      channelAccountId: accountId,
      target: { externalUserId: 'jane.s@customer.example', address: 'jane.s@customer.example' },
      authorKind: 'bot',
      parts: [
        { type: 'text', text: 'Delivery to Austria takes 3-5 working days.' },
        { type: 'source', title: 'Delivery times', url: 'https://shop.test/help/delivery' },
      ],
      channelData: {},
      idempotencyKey: `reply:${inboundId}`,
    };
    const sent = smtp.mails.length;
    const result = await running.connector.send(out, await shop.accountRef());

    const [captured] = (await smtp.waitForMails(sent + 1)).slice(sent);
    const p = captured.parsed;
    expect(captured.envelopeTo).toEqual(['jane.s@customer.example']);
    expect(p.from?.value[0]).toEqual({ address: SUPPORT, name: 'Demo Shop Support' });
    expect(p.messageId).toBe(`<${result.externalMessageId}>`);
    expect(p.inReplyTo).toBe('<ask-1@customer.example>');
    expect(p.references).toEqual(['<older-0@customer.example>', '<ask-1@customer.example>']);
    expect(p.subject).toBe(`Re: Delivery to Austria [#${conversationId.replace(/-/g, '').slice(-8)}]`);
    expect(p.headers.get('auto-submitted')).toBe('auto-replied');
    expect(p.text).toContain('Hello Jane,\n\nDelivery to Austria takes 3-5 working days.');
    expect(p.text).toContain('- Delivery times: https://shop.test/help/delivery');
    expect(p.html).toContain('<a href="https://shop.test/help/delivery">Delivery times</a>');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails).toHaveLength(sent + 1);
  });

  it("sends a person's reply from the console in the same thread, signed by them and not marked automatic", async () => {
    const { conversationId } = await shop.seedConversation('jane.p@customer.example', 'Broken zipper');
    await shop.seedMessage(conversationId, 'in', 'zip-1@customer.example', { text: 'The zipper broke.', channelData: { subject: 'Broken zipper' } });
    running = await shop.startConnector();
    const sent = smtp.mails.length;
    await running.connector.send(
      {
        messageId: newId(), conversationId, connectorId: 'email', channel: 'email', channelAccountId: accountId,
        target: { externalUserId: 'jane.p@customer.example' }, authorKind: 'person', authorName: 'Sam from Demo Shop',
        parts: [{ type: 'text', text: 'Sorry about that, a replacement is on its way.' }], channelData: {}, idempotencyKey: newId(),
      },
      await shop.accountRef(),
    );
    const [captured] = (await smtp.waitForMails(sent + 1)).slice(sent);
    expect(captured.parsed.inReplyTo).toBe('<zip-1@customer.example>');
    expect(captured.parsed.subject).toMatch(/^Re: Broken zipper \[#[0-9a-f]{8}\]$/);
    expect(captured.parsed.headers.get('auto-submitted')).toBe('no');
    expect(captured.parsed.text).toContain('-- \nSam from Demo Shop\nDemo Shop Support');
  });

  it('marks the mailbox failed with the reason when the IMAP server refuses the login', async () => {
    const broken = await EmailTestTenant.create(ds, imap, smtp, { secrets: { imapPassword: 'wrong-password' } });
    running = await broken.startConnector();
    const [row] = await until('the account marked failed', async () => {
      const rows = await ds.query(`SELECT status, status_reason FROM channel_accounts WHERE id = $1`, [broken.accountId]);
      return rows[0]?.status === 'failed' && rows;
    });
    expect(row.status_reason).toMatch(/IMAP login refused/);
  });

  it("tests a mailbox's settings by logging in to both servers, naming the one that refused", async () => {
    running = await shop.startConnector();
    const ref = await shop.accountRef();
    expect(await running.connector.testConnection(ref)).toEqual({ ok: true });
    const badImap = await running.connector.testConnection({ ...ref, settings: { ...ref.settings, imapPassword: 'nope' } });
    expect(badImap).toEqual({ ok: false, detail: expect.stringMatching(/^IMAP: /) });
    const badSmtp = await running.connector.testConnection({ ...ref, settings: { ...ref.settings, smtpPassword: 'nope' } });
    expect(badSmtp).toEqual({ ok: false, detail: expect.stringMatching(/^SMTP: /) });
  });

  it('reports a rejected recipient and a refused SMTP login as connector errors the dispatcher can act on', async () => {
    const { conversationId } = await shop.seedConversation('gone@customer.example', 'Hi');
    running = await shop.startConnector();
    smtp.rejectRecipient('gone@customer.example', { code: 550, message: '5.1.1 <gone@customer.example>: Recipient address rejected: User unknown' });
    const ref = await shop.accountRef();
    const out: OutboundMessage = {
      messageId: newId(), conversationId, connectorId: 'email', channel: 'email', channelAccountId: accountId,
      target: { externalUserId: 'gone@customer.example' }, authorKind: 'bot', parts: [{ type: 'text', text: 'Hello' }], channelData: {}, idempotencyKey: newId(),
    };
    await expect(running.connector.send(out, ref)).rejects.toMatchObject({ code: 'INVALID_RECIPIENT' });
    const wrongPassword = { ...ref, id: newId(), settings: { ...ref.settings, smtpPassword: 'wrong' } };
    const error = await running.connector.send(out, wrongPassword).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'AUTH' });
  });
});
