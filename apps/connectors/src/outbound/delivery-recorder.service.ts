import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Channel, DeliveryStatus, Envelope, OutboundMessage, OptOutReport, deliveryStatesBefore } from '@cs/contracts';
import { ContactResolver, StatementBatcher } from '@cs/persistence';
import { InboundPublisher } from '../registry/inbound-publisher.service';

type SentItem = { messageId: string; tenantId: string; externalMessageId: string; claimKey: string | null };
type StatusCause = { conversationId?: string; causationId?: string; correlationId?: string };

/**
 * The one writer of delivery state. Every move of `messages.delivery_state` (and an address's
 * opt-out) happens here, in the one order of `@cs/contracts` (`mayMoveDeliveryState`: pending <
 * sent < delivered < read, failed terminal). Connectors return what they learned — the outcome of
 * a send, a status callback, a bounce, a STOP — and their callers (OutboundDispatcher,
 * WebhookBridge, the email inbound processor) hand it here.
 *
 * Each write is followed by its `msg.status.*` announcement: the row is written first, so a failed
 * publish never leaves the bus ahead of the database (a redelivered send re-announces). Marking
 * sends done is grouped across concurrent sends (StatementBatcher): one round trip for many
 * messages under load.
 */
@Injectable()
export class DeliveryRecorder {
  private readonly sends: StatementBatcher<SentItem, void>;
  private readonly contacts = new ContactResolver();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource, private readonly publisher: InboundPublisher) {
    this.sends = new StatementBatcher((items) => this.markAllSent(items));
  }

  /**
   * A send the vendor accepted. `claimKey`, the send claim, is released in the same statement (one
   * round trip, and never a moment where the claim is gone but the row not yet marked).
   */
  async markSent(out: OutboundMessage, tenantId: string, externalMessageId: string, cause: Envelope, claimKey?: string): Promise<void> {
    await this.sends.submit({ messageId: out.messageId, tenantId, externalMessageId, claimKey: claimKey ?? null });
    await this.announceSent(out, tenantId, externalMessageId, cause);
  }

  /**
   * Only rows without a vendor id: a status callback that came first (and stored the id) has already
   * moved the row further, and a send the vendor accepted replaces an earlier failed attempt (see
   * `OUTBOUND_DELIVERY_STATES`).
   */
  private async markAllSent(items: SentItem[]): Promise<void[]> {
    await this.dataSource.query(
      `WITH sent AS (
         UPDATE messages m SET external_message_id = item.external_id, delivery_state = 'sent', error_code = NULL, error_message = NULL
         FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS item(id, tenant_id, external_id)
         WHERE m.id = item.id AND m.tenant_id = item.tenant_id AND m.external_message_id IS NULL
       )
       DELETE FROM idempotency_keys WHERE key = ANY($4::text[])`,
      [items.map((i) => i.messageId), items.map((i) => i.tenantId), items.map((i) => i.externalMessageId), items.flatMap((i) => (i.claimKey ? [i.claimKey] : []))],
    );
    return items.map(() => undefined);
  }

  /** A redelivery after the row was written but before the status went out says it again. */
  announceSent(out: OutboundMessage, tenantId: string, externalMessageId: string, cause: Envelope): Promise<void> {
    return this.publisher.publishStatus(
      tenantId,
      out.channel,
      { messageId: out.messageId, externalMessageId, connectorId: out.connectorId, state: 'sent' },
      { conversationId: out.conversationId, causationId: cause.id, correlationId: cause.correlationId },
    );
  }

  /** A send that will not be retried: only a message the vendor never accepted (no vendor id) fails. */
  async markFailed(out: OutboundMessage, tenantId: string, code: string, reason: string, cause: Envelope): Promise<void> {
    const errorMessage = reason.slice(0, 500);
    await this.dataSource.query(
      `UPDATE messages SET delivery_state = 'failed', error_code = $3, error_message = $4
        WHERE id = $1 AND tenant_id = $2 AND external_message_id IS NULL AND delivery_state = ANY($5)`,
      [out.messageId, tenantId, code, errorMessage, deliveryStatesBefore('failed')],
    );
    await this.publisher.publishStatus(
      tenantId,
      out.channel,
      { messageId: out.messageId, connectorId: out.connectorId, state: 'failed', errorCode: code, errorMessage },
      { conversationId: out.conversationId, causationId: cause.id, correlationId: cause.correlationId },
    );
  }

  /**
   * What a vendor reported after the send (a status callback, a bounce), on the message it names:
   * by our id when the report carries it (Twilio calls back with the id we put in its URL, possibly
   * before the send's own bookkeeping stored the vendor id), else by the vendor id.
   */
  async apply(tenantId: string, channel: Channel, status: DeliveryStatus, cause: StatusCause = {}): Promise<void> {
    const errorMessage = status.errorMessage?.slice(0, 500) ?? null;
    const where = status.messageId ? 'id = $1' : `external_message_id = $1 AND direction = 'out'`;
    await this.dataSource.query(
      `UPDATE messages SET delivery_state = $3, error_code = $4, error_message = $5,
              external_message_id = COALESCE(external_message_id, $6)
        WHERE ${where} AND tenant_id = $2 AND delivery_state = ANY($7)`,
      [
        status.messageId ?? status.externalMessageId,
        tenantId,
        status.state,
        recordedErrorCode(status),
        errorMessage,
        status.externalMessageId ?? null,
        deliveryStatesBefore(status.state),
      ],
    );
    await this.publisher.publishStatus(tenantId, channel, status, cause);
  }

  /**
   * An address opted out of (or back into) a channel, on its contact identity (`opted_out_at`);
   * connectors read it before sending. The identity is created when the address never wrote to us.
   */
  async recordOptOut(tenantId: string, channel: Channel, report: OptOutReport): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { identityId } = await this.contacts.resolve(m, { tenantId, channel, externalUserId: report.address, address: report.address });
      await m.query(
        report.optedOut
          ? 'UPDATE contact_identities SET opted_out_at = COALESCE(opted_out_at, now()) WHERE id = $1'
          : 'UPDATE contact_identities SET opted_out_at = NULL WHERE id = $1',
        [identityId],
      );
    });
  }
}

/**
 * The code kept on the message row. A bounce is announced as `BOUNCED`; the row says why when the
 * bounce's DSN status does: 5.1.x (RFC 3463, bad mailbox or address) is `INVALID_RECIPIENT`, the
 * same code a refused send gets.
 */
function recordedErrorCode(status: DeliveryStatus): string | null {
  if (status.reason === 'bounced' && status.vendorCode?.startsWith('5.1.')) return 'INVALID_RECIPIENT';
  return status.errorCode ?? null;
}
