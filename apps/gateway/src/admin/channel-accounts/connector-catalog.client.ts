import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { BUS, BusNoRespondersError, BusTimeoutError, type Bus } from '@cs/messaging';
import type { PrepareSettingsReply } from './dto/channel-account.dto';

const TIMEOUT_MS = 10_000;

/**
 * The gateway never loads connector code: it asks the connectors app over the bus (request/reply,
 * answered by ConnectorCatalog) for connector definitions and to validate and seal settings.
 */
@Injectable()
export class ConnectorCatalogClient {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  definitions(): Promise<unknown> {
    return this.ask('connectors.definitions', {});
  }

  prepare(connectorId: string, settings: Record<string, unknown>): Promise<PrepareSettingsReply> {
    return this.ask<PrepareSettingsReply>('connectors.settings.prepare', { connectorId, settings });
  }

  /** `connectors.account.test` → `{ ok, detail? }`, answered where the connector runs. */
  test(tenantId: string, channelAccountId: string): Promise<{ ok: boolean; detail?: string }> {
    return this.ask('connectors.account.test', { tenantId, channelAccountId }, 30_000);
  }

  private async ask<T>(subject: string, payload: unknown, timeoutMs = TIMEOUT_MS): Promise<T> {
    try {
      return await this.bus.request<T>(subject, payload, timeoutMs);
    } catch (error) {
      if (error instanceof BusNoRespondersError || error instanceof BusTimeoutError) {
        throw new HttpException(`the connectors app did not answer ${subject}; is it running?`, HttpStatus.SERVICE_UNAVAILABLE);
      }
      throw error;
    }
  }
}
