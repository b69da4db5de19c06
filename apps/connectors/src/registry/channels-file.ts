import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { derivedPublicKey, describeZodError } from '@cs/contracts';
import { APP_CONFIG, SECRET_KEY, SecretBox, readFileVariables } from '@cs/config';
import { ConnectorRegistry } from './connector-registry.service';
import { splitSecrets } from './settings-secrets';

/**
 * `CHANNELS_FILE` (YAML): channel accounts declared in a file, for self-hosted setups and the
 * embedded mode. Strings may name environment variables (`${IMAP_PASSWORD}`) so secrets stay out
 * of the file. Each account is validated against its connector's schema and upserted under a
 * stable id, its secret fields sealed with SECRET_KEY like accounts created in the console.
 *
 * ```yaml
 * channels:
 *   - tenant: demo-shop          # slug or id
 *     connector: email
 *     name: Support mailbox
 *     settings: { imapHost: imap.example.com, imapUser: support, imapPassword: "${IMAP_PASSWORD}", ... }
 * ```
 */
const channelsFileSchema = z.object({
  channels: z
    .array(
      z.object({
        id: z.string().uuid().optional(),
        tenant: z.string().min(1),
        connector: z.string().min(1),
        name: z.string().min(1),
        publicKey: z.string().min(1).optional(),
        settings: z.record(z.string(), z.unknown()).default({}),
      }),
    )
    .default([]),
});

export interface LoadedChannel {
  id: string;
  tenantId: string;
  connectorId: string;
  name: string;
}

export interface ChannelsFileResult {
  loaded: LoadedChannel[];
  /** Tenants named in the file that do not exist (yet: the embedded mode seeds its demo tenant after boot). */
  missingTenants: string[];
}

/** Validates every entry first (a bad file changes nothing), then upserts the accounts of existing tenants. */
export async function loadChannelsFile(
  file: string,
  deps: { dataSource: DataSource; registry: ConnectorRegistry; secretKey?: Buffer | null; env?: NodeJS.ProcessEnv },
): Promise<ChannelsFileResult> {
  const yaml: unknown = parseYaml(readFileSync(file, 'utf8')) ?? {};
  const { values, missing } = readFileVariables(variablesIn(yaml), deps.env);
  if (missing.length) throw new Error(`${file}: environment variable ${missing[0]} is not set`);
  const raw = substituteEnv(yaml, values);
  const parsed = channelsFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${describeZodError(parsed.error)}`);
  const box = deps.secretKey ? new SecretBox(deps.secretKey) : null;
  const entries = parsed.data.channels.map((entry, index) => {
    const where = `${file}: channels.${index} (${entry.name})`;
    const connector = deps.registry.find(entry.connector);
    if (!connector) throw new Error(`${where}: unknown connector "${entry.connector}"`);
    const settings = connector.definition.settings.safeParse(entry.settings);
    if (!settings.success) throw new Error(`${where}: ${describeZodError(settings.error as z.ZodError)}`);
    const split = splitSecrets(connector.definition.settings, settings.data as Record<string, unknown>);
    // Slack's team id is its account's public key: set from the settings unless the file says otherwise.
    const publicKey = entry.publicKey ?? derivedPublicKey(connector.definition, settings.data as Record<string, unknown>);
    if (publicKey) entry.publicKey = publicKey;
    const hasSecrets = Object.keys(split.secrets).length > 0;
    if (hasSecrets && !box) throw new Error(`${where}: has secret settings but SECRET_KEY is not configured`);
    return { entry, split, sealed: hasSecrets ? box!.seal(split.secrets) : null };
  });

  const result: ChannelsFileResult = { loaded: [], missingTenants: [] };
  for (const { entry, split, sealed } of entries) {
    const tenants: { id: string }[] = await deps.dataSource.query(`SELECT id FROM tenants WHERE slug = $1 OR id::text = $1 LIMIT 1`, [entry.tenant]);
    if (!tenants[0]) {
      result.missingTenants.push(entry.tenant);
      continue;
    }
    const id = entry.id ?? stableId(`${tenants[0].id}\u0000${entry.connector}\u0000${entry.name}`);
    // A restart re-activates an account marked failed: editing the file and restarting is the fix.
    await deps.dataSource.query(
      `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted, public_key, status, status_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', NULL)
       ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, connector_id = EXCLUDED.connector_id, name = EXCLUDED.name,
         settings = EXCLUDED.settings, secrets_encrypted = EXCLUDED.secrets_encrypted, public_key = EXCLUDED.public_key,
         status = 'active', status_reason = NULL, updated_at = now()`,
      [id, tenants[0].id, entry.connector, entry.name, JSON.stringify(split.settings), sealed, entry.publicKey ?? null],
    );
    result.loaded.push({ id, tenantId: tenants[0].id, connectorId: entry.connector, name: entry.name });
  }
  return result;
}

const VARIABLE = /\$\{([A-Z0-9_]+)\}/gi;

/** The `${NAME}`s a file uses, in order; read through libs/config, never from process.env here. */
function variablesIn(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(VARIABLE)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(variablesIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(variablesIn);
  return [];
}

function substituteEnv(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(VARIABLE, (_, name: string) => values[name]);
  if (Array.isArray(value)) return value.map((v) => substituteEnv(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, values)]));
  }
  return value;
}

function stableId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const RETRY_MS = 1_000;
const MAX_RETRIES = 300;

/**
 * Loads CHANNELS_FILE at module init, before ConnectorLifecycle starts the polling connectors. A
 * broken file stops the boot with a message naming the entry and field. Entries whose tenant does
 * not exist yet are retried in the background (the embedded mode seeds the demo tenant after boot),
 * then the polling connectors are told to pick the new accounts up.
 */
@Injectable()
export class ChannelsFileLoader implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChannelsFileLoader.name);
  private retry: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly registry: ConnectorRegistry,
    @Inject(APP_CONFIG) private readonly config: { CHANNELS_FILE?: string },
    @Optional() @Inject(SECRET_KEY) private readonly secretKey?: Buffer,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.CHANNELS_FILE) await this.load(this.config.CHANNELS_FILE, 0);
  }

  onModuleDestroy(): void {
    if (this.retry) clearTimeout(this.retry);
  }

  private async load(file: string, attempt: number): Promise<void> {
    const { loaded, missingTenants } = await loadChannelsFile(file, { dataSource: this.dataSource, registry: this.registry, secretKey: this.secretKey });
    if (loaded.length) this.logger.log(`${file}: ${loaded.length} channel account(s) loaded`);
    if (attempt > 0 && loaded.length) {
      for (const connector of this.registry.all()) await (connector as { refresh?: () => Promise<void> }).refresh?.();
    }
    if (!missingTenants.length) return;
    if (attempt === 0) this.logger.warn(`${file}: waiting for tenant(s) ${missingTenants.join(', ')} to exist`);
    if (attempt >= MAX_RETRIES) {
      this.logger.error(`${file}: no tenant ${missingTenants.join(', ')}: those channel accounts were not loaded`);
      return;
    }
    this.retry = setTimeout(() => {
      this.load(file, attempt + 1).catch((err: Error) => this.logger.error(`${file}: ${err.message}`));
    }, RETRY_MS);
    this.retry.unref();
  }
}
