import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { BusSubjects, ConnectorError, derivedPublicKey, describeZodError, type ChannelAccountRef, type ChannelConnector } from '@cs/contracts';
import { BUS, Bus, Subscription } from '@cs/messaging';
import { SECRET_KEY, SecretBox } from '@cs/config';
import { ChannelAccount } from '@cs/persistence';
import { ChannelAccountService } from './channel-account.service';
import { ConnectorRegistry } from './connector-registry.service';
import { secretFieldNames, splitSecrets } from './settings-secrets';

const prepareRequestSchema = z.object({ connectorId: z.string().min(1), settings: z.record(z.string(), z.unknown()) });
const testRequestSchema = z.object({ tenantId: z.uuid(), channelAccountId: z.uuid() });

/** Below the gateway's 30 s wait, so the console gets our answer rather than a 503. */
const TEST_TIMEOUT_MS = 25_000;
const MAX_DETAIL_CHARS = 300;

export type PrepareSettingsReply =
  | { ok: true; settings: Record<string, unknown>; secretsEncrypted: string | null; publicKey?: string }
  | { ok: false; status: number; error: string };

export interface ConnectionTestReply {
  ok: boolean;
  detail?: string;
}

/** What the console shows when a test threw instead of answering: by code, never the vendor's words. */
const THROWN_DETAIL: Record<ConnectorError['code'], string> = {
  AUTH: 'the credentials were refused',
  TEMPORARY: 'the service could not be reached; try again later',
  RATE_LIMITED: 'the service is rate-limiting this account; try again later',
  INVALID_RECIPIENT: 'the service refused the address',
  PERMANENT: 'the service refused the connection',
  NOT_SUPPORTED: 'not supported',
};

/**
 * What the admin console (in the gateway, which never loads connector code) asks about connectors:
 * `connectors.definitions` (forms), `connectors.settings.prepare` (validate a channel account's
 * settings against the connector's schema and seal its secret fields for the database), and
 * `connectors.account.test` (the "test connection" button, run where the connector's code is).
 */
@Injectable()
export class ConnectorCatalog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConnectorCatalog.name);
  private readonly subscriptions: Subscription[] = [];
  private readonly box: SecretBox | null;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: ConnectorRegistry,
    private readonly accounts: ChannelAccountService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(SECRET_KEY) secretKey?: Buffer,
  ) {
    this.box = secretKey ? new SecretBox(secretKey) : null;
  }

  onApplicationBootstrap(): void {
    this.subscriptions.push(
      this.bus.reply(BusSubjects.connectorDefinitions(), async () => this.registry.definitions(), 'connectors'),
      this.bus.reply(BusSubjects.connectorSettingsPrepare(), async (payload) => this.prepare(payload), 'connectors'),
      this.bus.reply(BusSubjects.connectorAccountTest(), (payload) => this.testAccount(payload), 'connectors'),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.unsubscribe().catch(() => undefined)));
  }

  prepare(payload: unknown): PrepareSettingsReply {
    const request = prepareRequestSchema.safeParse(payload);
    if (!request.success) return { ok: false, status: 400, error: describeZodError(request.error) };
    const connector = this.registry.find(request.data.connectorId);
    if (!connector) return { ok: false, status: 404, error: `unknown connector "${request.data.connectorId}"` };
    const parsed = connector.definition.settings.safeParse(request.data.settings);
    if (!parsed.success) return { ok: false, status: 400, error: describeZodError(parsed.error as z.ZodError) };
    const { settings, secrets } = splitSecrets(connector.definition.settings, parsed.data as Record<string, unknown>);
    // Slack's team id is also how its events find the account.
    const publicKey = derivedPublicKey(connector.definition, parsed.data as Record<string, unknown>);
    const keyed = publicKey ? { publicKey } : {};
    if (Object.keys(secrets).length === 0) return { ok: true, settings, secretsEncrypted: null, ...keyed };
    if (!this.box) return { ok: false, status: 500, error: 'SECRET_KEY is not configured: secrets cannot be stored' };
    return { ok: true, settings, secretsEncrypted: this.box.seal(secrets), ...keyed };
  }

  /** Tests the tenant's account as it is stored now (not the send path's cache: the admin may have just saved it). */
  async testAccount(payload: unknown): Promise<ConnectionTestReply> {
    const request = testRequestSchema.safeParse(payload);
    if (!request.success) return { ok: false, detail: 'invalid request' };
    const { tenantId, channelAccountId } = request.data;
    const account = await this.dataSource.getRepository(ChannelAccount).findOne({ where: { id: channelAccountId, tenantId } });
    // Another tenant's account is indistinguishable from a missing one.
    if (!account) return { ok: false, detail: 'not found' };
    let ref: ChannelAccountRef;
    try {
      ref = this.accounts.toRef(account);
    } catch (err) {
      // toRef's ConnectorErrors are our own words (no SECRET_KEY, undecryptable secrets).
      return { ok: false, detail: err instanceof ConnectorError ? err.message : 'the channel secrets cannot be read' };
    }
    return checkConnection(this.registry.find(account.connectorId), ref, this.logger);
  }
}

/**
 * Runs a connector's own test and makes its answer safe to show: a throw becomes a fixed sentence
 * by error code (its message is logged, not returned), a hang becomes a timeout, and the detail is
 * one short line that never echoes a secret of the account back.
 */
export async function checkConnection(
  connector: ChannelConnector | undefined,
  account: ChannelAccountRef,
  logger: Pick<Logger, 'warn'>,
  timeoutMs = TEST_TIMEOUT_MS,
): Promise<ConnectionTestReply> {
  if (!connector?.testConnection) return { ok: false, detail: 'not supported' };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ConnectionTestReply>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: 'the service did not answer in time' }), timeoutMs);
  });
  try {
    const reply = await Promise.race([connector.testConnection(account), timeout]);
    if (reply.ok === true) return { ok: true };
    return { ok: false, detail: safeDetail(reply.detail, secretValues(connector, account)) };
  } catch (err) {
    logger.warn(`connection test of channel account ${account.id} (${account.connectorId}) threw: ${(err as Error).message}`);
    return { ok: false, detail: err instanceof ConnectorError ? THROWN_DETAIL[err.code] : 'the connection test failed' };
  } finally {
    clearTimeout(timer);
  }
}

function secretValues(connector: ChannelConnector, account: ChannelAccountRef): string[] {
  return secretFieldNames(connector.definition.settings)
    .map((name) => account.settings[name])
    .filter((value): value is string => typeof value === 'string' && value.length >= 4);
}

function safeDetail(detail: unknown, secrets: string[]): string {
  if (typeof detail !== 'string' || !detail.trim()) return 'the connection test failed';
  let text = detail.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) text = text.split(secret).join('***');
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text;
}
