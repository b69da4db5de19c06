import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ChannelAccountRef,
  ChannelConnector,
  ConnectorError,
  DeliveryStatus,
  OutboundMessage,
  ReceivedWebhook,
  SendResult,
  WebhookRequest,
} from '@cs/contracts';
import { APP_CONFIG } from '@cs/config';
import { AttachmentStore } from '@cs/storage';
import { fitPlainText } from '../twilio/plain-text';
import { SmsOptOuts } from '../twilio/sms-opt-outs.store';
import { TwilioMediaStore, hasTwilioMedia } from '../twilio/twilio-media';
import { twilioSettingsOf, type TwilioEnv } from '../twilio/twilio-account';
import { TwilioClients, callTwilio, senderFor, statusCallbackFor, testTwilioAccount } from '../twilio/twilio-rest';
import { EMPTY_TWIML, formParams, isSignedForAccount, twimlMessage } from '../twilio/twilio-signature';
import { WhatsAppSessions } from './whatsapp-session.store';
import { TWILIO_WHATSAPP_CONNECTOR_ID, TwilioWhatsAppSettings, twilioWhatsAppDefinition } from './twilio-whatsapp.definition';
import { WHATSAPP_PREFIX, parseTwilioWhatsApp, phoneOf } from './twilio-whatsapp.parse';
import { OUTSIDE_WINDOW_CODE, WhatsAppTemplateRetry, templateContent } from './whatsapp-template-retry';


/**
 * WhatsApp through Twilio: the same Messages API as SMS with `whatsapp:+…` addresses. Inbound
 * messages are acknowledged at once with empty TwiML and answered later through the REST API —
 * freely within 24 hours of the customer's last message, as the approved template
 * (`templateContentSid`, the reply in {{1}}) after that. STOP / START opt the number out and back in,
 * confirmed in the webhook's answer. A free-form reply Twilio fails afterwards with 63016 (our view
 * of the window was a moment off) is sent again, once, as the template (WhatsAppTemplateRetry). Media are fetched with the account's credentials and stored
 * in object storage (TwilioMediaStore, shared with MMS).
 */
@Injectable()
export class TwilioWhatsAppConnector implements ChannelConnector {
  readonly definition = twilioWhatsAppDefinition;
  private readonly clients: TwilioClients;
  private readonly publicUrl?: string;
  private readonly optOuts: SmsOptOuts;
  private readonly sessions: WhatsAppSessions;
  private readonly media: TwilioMediaStore;
  private readonly templateRetry: WhatsAppTemplateRetry;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(AttachmentStore) files: AttachmentStore,
    @Optional() @Inject(APP_CONFIG) env?: TwilioEnv,
  ) {
    this.optOuts = new SmsOptOuts(dataSource);
    this.media = new TwilioMediaStore(files, env?.TWILIO_API_BASE_URL);
    this.sessions = new WhatsAppSessions(dataSource);
    this.clients = new TwilioClients(env?.TWILIO_API_BASE_URL);
    this.publicUrl = env?.PUBLIC_URL?.replace(/\/+$/, '');
    this.templateRetry = new WhatsAppTemplateRetry(dataSource, this.clients, this.publicUrl);
  }

  verify(req: WebhookRequest, account: ChannelAccountRef | null): boolean {
    return isSignedForAccount(req, account);
  }

  async receive(req: WebhookRequest, account: ChannelAccountRef | null): Promise<ReceivedWebhook> {
    if (!account) throw new ConnectorError('PERMANENT', 'a Twilio webhook must name its channel account');
    const event = parseTwilioWhatsApp(req, account.id);
    switch (event.kind) {
      case 'message': {
        // Photos, voice notes and documents need the account's credentials to fetch: stored here, as for MMS.
        const message = hasTwilioMedia(event.message) ? await this.media.store(account.tenantId, this.settingsOf(account), event.message) : event.message;
        return { messages: [message], statuses: [], response: EMPTY_TWIML };
      }
      case 'status': {
        const status = await this.afterOutsideWindow(req, account, event.status);
        return { messages: [], statuses: status ? [status] : [], response: EMPTY_TWIML };
      }
      case 'opt-out':
      case 'opt-in': {
        const settings = this.settingsOf(account);
        const optedOut = event.kind === 'opt-out';
        return {
          messages: [],
          statuses: [],
          optOuts: [{ address: event.from, optedOut }],
          response: twimlMessage(optedOut ? settings.optOutReply : settings.optInReply),
        };
      }
      default:
        return { messages: [], statuses: [], response: EMPTY_TWIML };
    }
  }

  async send(message: OutboundMessage, account: ChannelAccountRef): Promise<SendResult> {
    const settings = this.settingsOf(account);
    const phone = (message.target.address ?? message.target.externalUserId).replace(WHATSAPP_PREFIX, '');
    if (await this.optOuts.isOptedOut(account.tenantId, phone, 'whatsapp')) {
      throw new ConnectorError('INVALID_RECIPIENT', `${phone} has opted out of WhatsApp messages (STOP)`);
    }
    const maxLength = this.definition.capabilities.maxTextLength;
    const open = await this.sessions.isOpen(account.tenantId, phone);
    let content: { body: string } | { contentSid: string; contentVariables: string };
    if (open) {
      const body = fitPlainText(message.parts, (text) => text.length <= maxLength);
      if (!body) throw new ConnectorError('NOT_SUPPORTED', 'nothing in this message can be sent as a WhatsApp text');
      content = { body };
    } else {
      if (!settings.templateContentSid) {
        throw new ConnectorError(
          'PERMANENT',
          `${phone} last wrote more than 24 hours ago: WhatsApp then accepts only an approved template, and this channel has none (templateContentSid)`,
        );
      }
      content = templateContent(settings.templateContentSid, message.parts);
    }

    const client = this.clients.for(settings);
    const created = await callTwilio(
      open ? 'sending a WhatsApp message' : 'sending a WhatsApp template',
      () =>
        client.messages.create({
          to: `${WHATSAPP_PREFIX}${phone}`,
          ...content,
          ...senderFor(settings.senders, settings.messagingServiceSid, message.channelData.twilioTo, WHATSAPP_PREFIX),
          ...statusCallbackFor(this.publicUrl, TWILIO_WHATSAPP_CONNECTOR_ID, account.id, message.messageId),
        }),
      phone,
    );
    return { externalMessageId: created.sid };
  }

  /** A free-form reply Twilio failed with 63016 goes out again as the template; any other status is recorded as it is. */
  private async afterOutsideWindow(req: WebhookRequest, account: ChannelAccountRef, status: DeliveryStatus): Promise<DeliveryStatus | null> {
    if (status.state !== 'failed' || status.vendorCode !== OUTSIDE_WINDOW_CODE || !status.messageId || !status.externalMessageId) return status;
    const p = formParams(req);
    const to = phoneOf(p.To);
    if (!to) return status;
    const failure = { status: { ...status, messageId: status.messageId, externalMessageId: status.externalMessageId }, to, from: phoneOf(p.From) };
    return this.templateRetry.retry(account, this.settingsOf(account), failure);
  }

  async testConnection(account: ChannelAccountRef): Promise<{ ok: boolean; detail?: string }> {
    return testTwilioAccount(this.clients, this.settingsOf(account));
  }

  private settingsOf(account: ChannelAccountRef): TwilioWhatsAppSettings {
    return twilioSettingsOf(this.definition.settings, account, 'WhatsApp');
  }
}
