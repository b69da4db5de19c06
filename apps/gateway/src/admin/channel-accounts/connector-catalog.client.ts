import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { BusSubjects, type BusSubject, type RequestReply } from '@cs/contracts';
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
    return this.ask(BusSubjects.connectorDefinitions(), {});
  }

  prepare(connectorId: string, settings: Record<string, unknown>): Promise<PrepareSettingsReply> {
    return this.ask(BusSubjects.connectorSettingsPrepare(), { connectorId, settings });
  }

  /** `connectors.account.test` → `{ ok, detail? }`, answered where the connector runs. */
  test(tenantId: string, channelAccountId: string): Promise<{ ok: boolean; detail?: string }> {
    return this.ask(BusSubjects.connectorAccountTest(), { tenantId, channelAccountId }, 30_000);
  }

  private async ask<Req, Res>(subject: BusSubject<RequestReply<Req, Res>>, payload: NoInfer<Req>, timeoutMs = TIMEOUT_MS): Promise<Res> {
    try {
      return await this.bus.request(subject, payload, timeoutMs);
    } catch (error) {
      if (error instanceof BusNoRespondersError || error instanceof BusTimeoutError) {
        throw new HttpException(`the connectors app did not answer ${subject}; is it running?`, HttpStatus.SERVICE_UNAVAILABLE);
      }
      throw error;
    }
  }
}
