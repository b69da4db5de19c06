import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { z } from 'zod';
import { describeZodError } from '@cs/contracts';
import { BUS, Bus, Subscription } from '@cs/messaging';
import { SECRET_KEY, SecretBox } from '@cs/config';
import { ConnectorRegistry } from './connector-registry.service';
import { splitSecrets } from './settings-secrets';

const prepareRequestSchema = z.object({ connectorId: z.string().min(1), settings: z.record(z.string(), z.unknown()) });

export type PrepareSettingsReply =
  | { ok: true; settings: Record<string, unknown>; secretsEncrypted: string | null }
  | { ok: false; status: number; error: string };

/**
 * What the admin console (in the gateway, which never loads connector code) asks about connectors:
 * `connectors.definitions` (forms), `connectors.settings.prepare` (validate a channel account's
 * settings against the connector's schema and seal its secret fields for the database).
 */
@Injectable()
export class ConnectorCatalog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly subscriptions: Subscription[] = [];
  private readonly box: SecretBox | null;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly registry: ConnectorRegistry,
    @Optional() @Inject(SECRET_KEY) secretKey?: Buffer,
  ) {
    this.box = secretKey ? new SecretBox(secretKey) : null;
  }

  onApplicationBootstrap(): void {
    this.subscriptions.push(
      this.bus.reply('connectors.definitions', async () => this.registry.definitions(), 'connectors'),
      this.bus.reply('connectors.settings.prepare', async (payload) => this.prepare(payload), 'connectors'),
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
    if (Object.keys(secrets).length === 0) return { ok: true, settings, secretsEncrypted: null };
    if (!this.box) return { ok: false, status: 500, error: 'SECRET_KEY is not configured: secrets cannot be stored' };
    return { ok: true, settings, secretsEncrypted: this.box.seal(secrets) };
  }
}
