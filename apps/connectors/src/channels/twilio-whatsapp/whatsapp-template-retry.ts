import type { DataSource } from 'typeorm';
import { ConnectorError, type ChannelAccountRef, type DeliveryStatus, type MessagePart } from '@cs/contracts';
import { fitPlainText } from '../twilio/plain-text';
import { TwilioClients, callTwilio, senderFor, statusCallbackFor } from '../twilio/twilio-rest';
import { TWILIO_WHATSAPP_CONNECTOR_ID, type TwilioWhatsAppSettings } from './twilio-whatsapp.definition';
import { WHATSAPP_PREFIX } from './twilio-whatsapp.parse';

/** Twilio's error for a free-form WhatsApp message outside the customer-service window. */
export const OUTSIDE_WINDOW_CODE = '63016';

/** What a template's variable takes: WhatsApp refuses longer parameters. */
const TEMPLATE_VARIABLE_MAX = 1000;

/** The approved template with the reply in {{1}}. */
export function templateContent(templateContentSid: string, parts: readonly MessagePart[]): { contentSid: string; contentVariables: string } {
  const text = fitPlainText([...parts], (t) => t.length <= TEMPLATE_VARIABLE_MAX);
  return { contentSid: templateContentSid, contentVariables: JSON.stringify({ 1: text }) };
}

/** The failed status callback of a free-form reply, and who it was between. */
export interface OutsideWindowFailure {
  status: DeliveryStatus & { messageId: string; externalMessageId: string };
  /** The customer's number and ours, bare (`+…`), from the callback's To and From. */
  to: string;
  from: string | null;
}

/**
 * Our view of WhatsApp's 24-hour window can be a moment off from WhatsApp's (a reply queued across
 * the boundary, clocks): Twilio then accepts a free-form reply and fails it afterwards with 63016
 * on the status callback. The reply is not lost: it is sent again, once, as the approved template.
 *
 * "Once" holds across duplicate callbacks and several connector processes: a row in
 * idempotency_keys (`wa-template:<message id>`) is taken before the retry and remembers the
 * template's MessageSid; a later 63016 for that SID (the template refused too) fails the message,
 * one for the original SID again is ignored.
 */
export class WhatsAppTemplateRetry {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: TwilioClients,
    private readonly publicUrl: string | undefined,
  ) {}

  /** The status to record: null when the reply went out again as the template (or already had). */
  async retry(account: ChannelAccountRef, settings: TwilioWhatsAppSettings, failure: OutsideWindowFailure): Promise<DeliveryStatus | null> {
    const { status } = failure;
    if (!settings.templateContentSid) {
      return { ...status, errorMessage: `${failure.to} last wrote more than 24 hours ago (Twilio 63016) and this channel has no approved template (templateContentSid)` };
    }
    const key = `wa-template:${status.messageId}`;
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (key, tenant_id, result) VALUES ($1, $2, '{}'::jsonb) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, account.tenantId],
    );
    if (!claimed.length) {
      const [row]: { sid: string | null }[] = await this.dataSource.query(`SELECT result->>'sid' AS sid FROM idempotency_keys WHERE key = $1`, [key]);
      // The template itself was refused: the message has failed, for staff to see.
      return row?.sid === status.externalMessageId ? status : null;
    }
    const [message]: { parts: MessagePart[] }[] = await this.dataSource.query(
      `SELECT parts FROM messages WHERE id = $1 AND tenant_id = $2 AND direction = 'out'`,
      [status.messageId, account.tenantId],
    );
    if (!message) return status;
    let sid: string;
    try {
      const created = await callTwilio(
        'sending a WhatsApp template after 63016',
        () =>
          this.clients.for(settings).messages.create({
            to: `${WHATSAPP_PREFIX}${failure.to}`,
            ...templateContent(settings.templateContentSid!, message.parts),
            ...senderFor(settings.senders, settings.messagingServiceSid, failure.from ?? undefined, WHATSAPP_PREFIX),
            ...statusCallbackFor(this.publicUrl, TWILIO_WHATSAPP_CONNECTOR_ID, account.id, status.messageId),
          }),
        failure.to,
      );
      sid = created.sid;
    } catch (err) {
      const error = err as ConnectorError;
      if (error.code === 'TEMPORARY' || error.code === 'RATE_LIMITED') {
        // Twilio is asked again by its retry of this callback (our 503); the claim is given back for it.
        await this.dataSource.query(`DELETE FROM idempotency_keys WHERE key = $1`, [key]);
        throw err;
      }
      return { ...status, errorCode: error.code, errorMessage: error.message };
    }
    await this.dataSource.query(`UPDATE idempotency_keys SET result = jsonb_build_object('sid', $2::text) WHERE key = $1`, [key, sid]);
    return null;
  }
}
