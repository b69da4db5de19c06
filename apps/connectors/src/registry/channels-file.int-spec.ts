import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { Test } from '@nestjs/testing';
import { CoreModule, SecretBox, connectorsEnvSchema, loadEnv } from '@cs/config';
import { ConnectorsModule } from '../connectors.module';
import { openDataSource } from '@cs/persistence';
import { InProcessBus } from '@cs/messaging';
import { createTestDatabase, testAttachmentStore } from '@cs/testing';
import { EmailConnector } from '../channels/email/email.connector';
import { ChannelAccountService } from './channel-account.service';
import { ChannelsFileLoader, loadChannelsFile } from './channels-file';
import { ConnectorRegistry } from './connector-registry.service';
import { DeliveryRecorder } from '../outbound/delivery-recorder.service';
import { InboundPublisher } from './inbound-publisher.service';

const SECRET = 'channels-file-int-spec-secret-key-0123456789';
const key = createHash('sha256').update(SECRET).digest();
let ds: DataSource;
let dir: string;
let registry: ConnectorRegistry;
let slug: string;
let databaseUrl: string;

const yaml = (password: string) => `
channels:
  - tenant: ${slug}
    connector: email
    name: Support mailbox
    settings:
      imapHost: imap.example.com
      imapUser: support
      imapPassword: "\${TEST_IMAP_PASSWORD}"
      smtpHost: smtp.example.com
      smtpPassword: ${password}
      supportAddress: support@example.com
`;

beforeAll(async () => {
  // Its own database: the mailbox declared here must not be picked up by apps other specs boot.
  databaseUrl = await createTestDatabase('channelsfile');
  ds = await openDataSource({ databaseUrl, poolSize: 2 }, { migrate: false });
  dir = mkdtempSync(join(tmpdir(), 'cs-channels-file-'));
  slug = `file-shop-${newId()}`;
  await ds.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'File Shop', $2)`, [newId(), slug]);
  const accounts = new ChannelAccountService(ds, key);
  const publisher = new InboundPublisher(new InProcessBus({ prefix: 'cs' }));
  registry = new ConnectorRegistry([new EmailConnector(ds, accounts, publisher, new DeliveryRecorder(ds, publisher), testAttachmentStore(ds))]);
});

afterAll(async () => {
  await ds?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('CHANNELS_FILE', () => {
  it('declares a mailbox with its password from the environment, secrets sealed at rest, under one stable id', async () => {
    const file = join(dir, 'channels.yml');
    writeFileSync(file, yaml('first'));
    const env = { TEST_IMAP_PASSWORD: 'from-env' };
    const { loaded: [first] } = await loadChannelsFile(file, { dataSource: ds, registry, secretKey: key, env });
    writeFileSync(file, yaml('second'));
    const { loaded: [again] } = await loadChannelsFile(file, { dataSource: ds, registry, secretKey: key, env });

    expect(again.id).toBe(first.id);
    const rows = await ds.query(`SELECT settings, secrets_encrypted, status FROM channel_accounts WHERE id = $1`, [first.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].settings).toEqual(expect.objectContaining({ imapHost: 'imap.example.com', supportAddress: 'support@example.com' }));
    expect(JSON.stringify(rows[0].settings)).not.toContain('from-env');
    expect(new SecretBox(key).open(rows[0].secrets_encrypted)).toEqual({ imapPassword: 'from-env', smtpPassword: 'second' });
  });

  it('refuses an entry that does not fit its connector, naming the entry and the field', async () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, `channels:\n  - tenant: ${slug}\n    connector: email\n    name: Broken\n    settings: { imapHost: x }\n`);
    await expect(loadChannelsFile(file, { dataSource: ds, registry, secretKey: key, env: {} })).rejects.toThrow(
      /channels\.0 \(Broken\): .*imapUser/,
    );
  });

  it('reports a tenant that does not exist yet instead of failing, so the accounts can be loaded once it does', async () => {
    const file = join(dir, 'later.yml');
    writeFileSync(file, yaml('x').replace(`tenant: ${slug}`, 'tenant: not-yet-seeded'));
    const result = await loadChannelsFile(file, { dataSource: ds, registry, secretKey: key, env: { TEST_IMAP_PASSWORD: 'p' } });
    expect(result).toEqual({ loaded: [], missingTenants: ['not-yet-seeded'] });
  });

  it('refuses a variable that is not set rather than storing an empty password', async () => {
    const file = join(dir, 'unset.yml');
    writeFileSync(file, yaml('x'));
    await expect(loadChannelsFile(file, { dataSource: ds, registry, secretKey: key, env: {} })).rejects.toThrow(/TEST_IMAP_PASSWORD is not set/);
  });

  it('is loaded when the connectors app boots with CHANNELS_FILE set', async () => {
    const file = join(dir, 'boot.yml');
    writeFileSync(file, yaml('boot').replace('name: Support mailbox', 'name: Booted mailbox'));
    process.env.TEST_IMAP_PASSWORD = 'at-boot';
    const env = loadEnv(connectorsEnvSchema, { DATABASE_URL: databaseUrl, SECRET_KEY: SECRET, CHANNELS_FILE: file, DB_POOL_SIZE: '2' });
    const moduleRef = await Test.createTestingModule({
      imports: [CoreModule.forRoot(env, { app: 'channels-file', migrate: false }), ConnectorsModule.withConnectors([EmailConnector], [ChannelsFileLoader])],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      const rows = await ds.query(`SELECT secrets_encrypted FROM channel_accounts WHERE name = 'Booted mailbox'`);
      expect(rows).toHaveLength(1);
      expect(new SecretBox(key).open(rows[0].secrets_encrypted)).toEqual({ imapPassword: 'at-boot', smtpPassword: 'boot' });
    } finally {
      await app.close();
      delete process.env.TEST_IMAP_PASSWORD;
    }
  });
});
