import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { Test, type TestingModule } from '@nestjs/testing';
import { parse as parseYaml } from 'yaml';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CoreModule, connectorsEnvSchema, embeddedEnvSchema, loadEnv, resolveSecretKey } from '@cs/config';
import { seedDemo } from '@cs/knowledge';
import { createTestDatabase, testEnv } from '@cs/testing';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { ConnectorRegistry } from '../../../apps/connectors/src/registry/connector-registry.service';
import { loadChannelsFile } from '../../../apps/connectors/src/registry/channels-file';

const ROOT = join(__dirname, '../../..');
const SECRET_KEY = 'readme-examples-int-spec-secret-key-0123456789';

/** Every README of the product: the top one and each app's, library's and channel's. */
function readmes(dir = ROOT): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (['node_modules', 'dist', '.git', 'data'].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...readmes(path));
    else if (name === 'README.md') found.push(path);
  }
  return found;
}

interface Block {
  file: string;
  line: number;
  lang: string;
  text: string;
}

function fencedBlocks(file: string): Block[] {
  const blocks: Block[] = [];
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)) {
    blocks.push({ file: relative(ROOT, file), line: source.slice(0, m.index).split('\n').length, lang: m[1], text: m[2] });
  }
  return blocks;
}

const BLOCKS = readmes().flatMap(fencedBlocks);
const CHANNEL_FILES = BLOCKS.filter((b) => b.lang === 'yaml' && /^channels:/m.test(b.text));
const ENV_BLOCKS = BLOCKS.filter((b) => b.lang === 'env');

/**
 * What an operator would export before starting with an example: a value of the right shape for each
 * `${VAR}` the examples name (a Slack bot token starts with xoxb-, anything else is a long secret).
 */
function environmentFor(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name] of text.matchAll(/\$\{([A-Z0-9_]+)\}/g)) {
    env[name] = name.endsWith('BOT_TOKEN') ? 'xoxb-1111-2222-readme' : name.endsWith('APP_TOKEN') ? 'xapp-1-A0README-readme' : '0123456789abcdef0123456789abcdef';
  }
  return env;
}

/** Which README documents each connector's settings. */
const README_OF_CONNECTOR: Record<string, string> = {
  email: 'apps/connectors/src/channels/email/README.md',
  'twilio-sms': 'apps/connectors/src/channels/twilio/README.md',
  'twilio-voice': 'apps/connectors/src/channels/twilio/README.md',
  'twilio-whatsapp': 'apps/connectors/src/channels/twilio/README.md',
  slack: 'apps/connectors/src/channels/slack/README.md',
  webchat: 'apps/connectors/src/channels/webchat/README.md',
  api: 'apps/connectors/src/channels/api/README.md',
};

describe('the example configurations in the READMEs, loaded as written', () => {
  let moduleRef: TestingModule;
  let ds: DataSource;
  let registry: ConnectorRegistry;
  let secretKey: Buffer;
  let dir: string;

  beforeAll(async () => {
    const env = loadEnv(connectorsEnvSchema, { ...testEnv('readmes'), DATABASE_URL: await createTestDatabase('readmes'), SECRET_KEY, DB_POOL_SIZE: '2' });
    // Compiled, not started: the example mailboxes and workspaces are never dialled.
    moduleRef = await Test.createTestingModule({ imports: [CoreModule.forRoot(env, { app: 'readme-examples', migrate: false }), ConnectorsModule] }).compile();
    ds = moduleRef.get(DataSource);
    registry = moduleRef.get(ConnectorRegistry);
    secretKey = resolveSecretKey(env)!;
    await seedDemo(ds, {});
    dir = mkdtempSync(join(tmpdir(), 'cs-readme-'));
  }, 60_000);

  afterAll(async () => {
    await moduleRef?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the examples: a CHANNELS_FILE for every connector with settings, and the env of Twilio and Slack', () => {
    const connectors = CHANNEL_FILES.flatMap((b) => (parseYaml(b.text) as { channels: { connector: string }[] }).channels.map((c) => c.connector));
    expect(new Set(connectors)).toEqual(new Set(Object.keys(README_OF_CONNECTOR)));
    expect(ENV_BLOCKS.map((b) => b.file)).toEqual(expect.arrayContaining([README_OF_CONNECTOR['twilio-sms'], README_OF_CONNECTOR.slack]));
  });

  it.each(CHANNEL_FILES.map((b) => [`${b.file}:${b.line}`, b] as const))('loads the CHANNELS_FILE example of %s into the demo tenant', async (_where, block) => {
    const file = join(dir, `channels-${block.line}.yml`);
    writeFileSync(file, block.text);
    const declared = (parseYaml(block.text) as { channels: { connector: string; publicKey?: string; settings: Record<string, unknown> }[] }).channels;

    const result = await loadChannelsFile(file, { dataSource: ds, registry, secretKey, env: environmentFor(block.text) });

    expect(result.missingTenants).toEqual([]);
    expect(result.loaded.map((l) => l.connectorId)).toEqual(declared.map((c) => c.connector));
    for (const [i, loaded] of result.loaded.entries()) {
      const [row] = await ds.query(`SELECT t.slug, a.public_key FROM channel_accounts a JOIN tenants t ON t.id = a.tenant_id WHERE a.id = $1`, [loaded.id]);
      expect(row.slug).toBe('demo');
      // Slack's events find their account by its team id; a widget by its key.
      if (loaded.connectorId === 'slack') expect(row.public_key).toBe(declared[i].settings.teamId);
      if (declared[i].publicKey) expect(row.public_key).toBe(declared[i].publicKey);
    }
  });

  it.each(ENV_BLOCKS.map((b) => [`${b.file}:${b.line}`, b] as const))('accepts the environment example of %s, every variable one the app reads', (_where, block) => {
    const vars = Object.fromEntries(
      block.text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const known = new Set([...Object.keys(connectorsEnvSchema.shape), ...Object.keys(embeddedEnvSchema.shape)]);
    expect(Object.keys(vars).filter((name) => !known.has(name))).toEqual([]);
    expect(() => loadEnv(connectorsEnvSchema, { ...testEnv('readmes'), DATABASE_URL: 'postgres://x/y', SECRET_KEY, ...vars })).not.toThrow();
  });

  it.each(Object.entries(README_OF_CONNECTOR))("documents every setting of %s in its README", (connectorId, readme) => {
    const text = readFileSync(join(ROOT, readme), 'utf8');
    const keys = Object.keys((registry.find(connectorId)!.definition.settings as z.ZodObject).shape);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !text.includes(`\`${key}\``))).toEqual([]);
  });

  it('refuses the formats the READMEs warn about: a Twilio base with a path, a Slack API URL without /api', () => {
    const base = { ...testEnv('readmes'), DATABASE_URL: 'postgres://x/y', SECRET_KEY };
    expect(() => loadEnv(connectorsEnvSchema, { ...base, TWILIO_API_BASE_URL: 'https://proxy.example/2010-04-01' })).toThrow(/TWILIO_API_BASE_URL/);
    expect(() => loadEnv(connectorsEnvSchema, { ...base, SLACK_API_URL: 'https://slack.com' })).toThrow(/SLACK_API_URL/);
  });
});
