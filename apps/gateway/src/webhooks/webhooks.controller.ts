import { All, Controller, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import { BusSubjects } from '@cs/contracts';
import { BUS, BusNoRespondersError, BusTimeoutError, type Bus } from '@cs/messaging';
import { ApiError, codeForStatus } from '../common/api-exception.filter';
import { toWebhookRequest } from './webhook-request';

const CONNECTOR_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const webhookResponseSchema = z.object({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  /** Request connectors (api, webchat) refuse with `{ ok: false, status, error }`: no body of their own. */
  error: z.string().optional(),
});

/**
 * The webhook bridge: `/hooks/<connectorId>[/<channelAccountId>/...]` is forwarded verbatim to the
 * connector over `webhook.<connectorId>` (request/reply), and the connector's answer (TwiML, a
 * Slack challenge, a plain 200) is written back as the HTTP response. The gateway never parses it.
 */
@ApiExcludeController()
@Controller('hooks')
export class WebhooksController {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'PUBLIC_URL' | 'WEBHOOK_TIMEOUT_MS'>,
  ) {}

  @All([':connectorId', ':connectorId/*rest'])
  async forward(@Param('connectorId') connectorId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!CONNECTOR_ID.test(connectorId)) throw new ApiError(404, 'NOT_FOUND', `unknown connector "${connectorId}"`);
    const request = toWebhookRequest(req, this.config.PUBLIC_URL);
    // `/hooks/<connector>/<channel account id>/...`: only a UUID names an account; other segments
    // (`/hooks/slack/events`) are the connector's own routing, visible to it in `path`.
    const segment = request.path.split('/')[3];
    const channelAccountId = segment && UUID.test(segment) ? segment : undefined;
    let raw: unknown;
    try {
      raw = await this.bus.request(
        BusSubjects.webhook(connectorId),
        { ...request, connectorId, ...(channelAccountId ? { channelAccountId } : {}) },
        this.config.WEBHOOK_TIMEOUT_MS,
      );
    } catch (err) {
      if (err instanceof BusNoRespondersError) throw new ApiError(404, 'NOT_FOUND', `unknown connector "${connectorId}"`);
      if (err instanceof BusTimeoutError) throw new ApiError(503, 'UNAVAILABLE', `connector "${connectorId}" did not answer in time`);
      throw err;
    }
    const answer = webhookResponseSchema.safeParse(raw);
    if (!answer.success) throw new ApiError(502, 'BAD_GATEWAY', `connector "${connectorId}" gave an unreadable answer`);
    const { status, headers, body, error } = answer.data;
    // A refusal without a body of the connector's own says why in the gateway's error format.
    if (status >= 400 && body === undefined) throw new ApiError(status, codeForStatus(status), error ?? `connector "${connectorId}" refused the request`);
    res.status(status);
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    res.send(body ?? '');
  }
}
