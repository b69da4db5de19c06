import { DataSource } from 'typeorm';
import { newId, type ChannelAccountRef } from '@cs/contracts';
import { InProcessBus } from '@cs/messaging';
import { openDataSource } from '@cs/persistence';
import { createTestDatabase, testAttachmentStore } from '@cs/testing';
import { emailSettingsSchema } from '../../../apps/connectors/src/channels/email/email.definition';
import { EmailInboundProcessor } from '../../../apps/connectors/src/channels/email/email.inbound';
import { SenderHourlyCap } from '../../../apps/connectors/src/channels/email/email.sender-cap';
import { DeliveryRecorder } from '../../../apps/connectors/src/outbound/delivery-recorder.service';
import { InboundPublisher } from '../../../apps/connectors/src/registry/inbound-publisher.service';
import { SUPPORT, mail } from './email-test-kit';

function processorOn(ds: DataSource, bus: InProcessBus): EmailInboundProcessor {
  const publisher = new InboundPublisher(bus);
  return new EmailInboundProcessor(ds, publisher, new DeliveryRecorder(ds, publisher), testAttachmentStore(ds));
}

// Two pools on one database stand for two connectors processes (the distributed mode) or one
// process before and after a restart: the cap may only count what is in the database.
let url: string;
let first: DataSource;
let second: DataSource;

beforeAll(async () => {
  url = await createTestDatabase('emailcap');
  [first, second] = await Promise.all([openDataSource({ databaseUrl: url, poolSize: 8 }, { migrate: false }), openDataSource({ databaseUrl: url, poolSize: 8 }, { migrate: false })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([first?.destroy(), second?.destroy()]);
});

const times = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

describe('the per-sender hourly cap in PostgreSQL', () => {
  it('holds across two processes and a restart, per sender and per mailbox', async () => {
    const account = newId();
    const [a, b] = [new SenderHourlyCap(first), new SenderHourlyCap(second)];
    expect(await a.take(account, 'loop@customer.example', 3)).toBe(true);
    expect(await b.take(account, 'loop@customer.example', 3)).toBe(true);

    const restarted = await openDataSource({ databaseUrl: url, poolSize: 2 }, { migrate: false });
    try {
      const afterRestart = new SenderHourlyCap(restarted);
      expect(await afterRestart.take(account, 'loop@customer.example', 3)).toBe(true);
      expect(await afterRestart.take(account, 'loop@customer.example', 3)).toBe(false);
    } finally {
      await restarted.destroy();
    }
    expect(await a.take(account, 'loop@customer.example', 3)).toBe(false);
    expect(await b.take(account, 'loop@customer.example', 3)).toBe(false);
    expect(await a.take(account, 'other@customer.example', 3)).toBe(true);
    expect(await b.take(newId(), 'loop@customer.example', 3)).toBe(true);
  });

  it('lets exactly one of several processes racing for the last slot through', async () => {
    const account = newId();
    const [a, b] = [new SenderHourlyCap(first), new SenderHourlyCap(second)];
    for (let i = 0; i < 4; i++) expect(await a.take(account, 'race@customer.example', 5)).toBe(true);
    const results = await Promise.all(times(12, () => null).map((_, i) => (i % 2 ? a : b).take(account, 'race@customer.example', 5)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lets exactly the cap through when a burst from a new sender meets an empty table', async () => {
    const account = newId();
    const [a, b] = [new SenderHourlyCap(first), new SenderHourlyCap(second)];
    const results = await Promise.all(times(12, () => null).map((_, i) => (i % 2 ? a : b).take(account, 'burst@customer.example', 3)));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  it('opens a new hour once the sender’s hour has passed', async () => {
    const account = newId();
    const cap = new SenderHourlyCap(first);
    expect(await cap.take(account, 'later@customer.example', 1)).toBe(true);
    expect(await cap.take(account, 'later@customer.example', 1)).toBe(false);
    await first.query(`UPDATE email_sender_counts SET window_start = window_start - interval '61 minutes' WHERE channel_account_id = $1`, [account]);
    expect(await cap.take(account, 'later@customer.example', 1)).toBe(true);
    expect(await cap.take(account, 'later@customer.example', 1)).toBe(false);
  });
});

describe('the inbound processor with the shared cap', () => {
  const settings = emailSettingsSchema.parse({
    imapHost: 'imap.invalid', imapUser: 'support', imapPassword: 'x', smtpHost: 'smtp.invalid', supportAddress: SUPPORT, perSenderHourlyCap: 2,
  });
  const account = (): ChannelAccountRef => ({ id: newId(), tenantId: newId(), connectorId: 'email', settings });
  const loopMail = (n: number) => Buffer.from(mail({ from: 'responder@customer.example', subject: `Re: ticket ${n}`, id: `loop-${newId()}@customer.example`, body: `Reply ${n}` }));

  let bus: InProcessBus;
  beforeEach(() => (bus = new InProcessBus({ prefix: 'cs' })));
  afterEach(() => bus.close());

  it('hands on no more than the cap when the sender’s mails reach two processes', async () => {
    const ref = account();
    const processors = [processorOn(first, bus), processorOn(second, bus)];
    const outcomes = await Promise.all(times(6, () => null).map((_, i) => processors[i % 2].process(ref, settings, loopMail(i))));
    expect(outcomes.filter((o) => o.kind === 'published')).toHaveLength(2);
    expect(outcomes.filter((o) => o.kind === 'rejected' && o.reason === 'rate-limited')).toHaveLength(4);
  });

  it('does not count a mail whose publish failed, so its retry still gets through', async () => {
    const ref = account();
    const down = new InProcessBus({ prefix: 'cs' });
    await down.close();
    const raw = loopMail(1);
    await expect(processorOn(first, down).process(ref, settings, raw)).rejects.toThrow('bus is closed');
    const processor = processorOn(second, bus);
    expect(await processor.process(ref, settings, raw)).toEqual(expect.objectContaining({ kind: 'published' }));
    expect(await processor.process(ref, settings, loopMail(2))).toEqual(expect.objectContaining({ kind: 'published' }));
    expect(await processor.process(ref, settings, loopMail(3))).toEqual(expect.objectContaining({ kind: 'rejected', reason: 'rate-limited' }));
  });
});
