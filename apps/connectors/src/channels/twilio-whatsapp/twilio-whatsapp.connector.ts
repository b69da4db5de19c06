import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ChannelAccountRef,
  ChannelConnector,
  ConnectorError,
  OutboundMessage,
  ReceivedWebhook,
  SendResult,
  WebhookRequest,
} from '@cs/contracts';
import { APP_CONFIG } from '@cs/config';
import { fitPlainText } from '../twilio/plain-text';
import { SmsOptOuts } from '../twilio/sms-opt-outs.store';
import { twilioSettingsOf, type TwilioEnv } from '../twilio/twilio-account';
import { TwilioClients, callTwilio, senderFor, statusCallbackFor, testTwilioAccount } from '../twilio/twilio-rest';
import { EMPTY_TWIML, isSignedForAccount, twimlMessage } from '../twilio/twilio-signature';
import { WhatsAppSessions } from './whatsapp-session.store';
import { TWILIO_WHATSAPP_CONNECTOR_ID, TwilioWhatsAppSettings, twilioWhatsAppDefinition } from './twilio-whatsapp.definition';
import { WHATSAPP_PREFIX, parseTwilioWhatsApp } from './twilio-whatsapp.parse';

/** What a template's variable takes: WhatsApp refuses longer parameters. */
const TEMPLATE_VARIABLE_MAX = 1000;

/**
 * WhatsApp through Twilio: the same Messages API as SMS with `whatsapp:+…` addresses. Inbound
 * messages are acknowledged at once with empty TwiML and answered later through the REST API —
 * freely within 24 hours of the customer's last message, as the approved template
 * (`templateContentSid`, the reply in {{1}}) after that. STOP / START opt the number out and back in,
 * confirmed in the webhook's answer. Media stay links with their type, for the file storage to fetch.
 */
@Injectable()
export class TwilioWhatsAppConnector implements ChannelConnector {
  readonly definition = twilioWhatsAppDefinition;
  private readonly clients: TwilioClients;
  private readonly publicUrl?: string;
  private readonly optOuts: SmsOptOuts;
  private readonly sessions: WhatsAppSessions;

  constructor(@Inject(DataSource) dataSource: DataSource, @Optional() @Inject(APP_CONFIG) env?: TwilioEnv) {
    this.optOuts = new SmsOptOuts(dataSource);
    this.sessions = new WhatsAppSessions(dataSource);
    this.clients = new TwilioClients(env?.TWILIO_API_BASE_URL);
    this.publicUrl = env?.PUBLIC_URL?.replace(/\/+$/, '');
  }

  verify(req: WebhookRequest, account: ChannelAccountRef | null): boolean {
    return isSignedForAccount(req, account);
  }

  async receive(req: WebhookRequest, account: ChannelAccountRef | null): Promise<ReceivedWebhook> {
    if (!account) throw new ConnectorError('PERMANENT', 'a Twilio webhook must name its channel account');
    const event = parseTwilioWhatsApp(req, account.id);
    switch (event.kind) {
      case 'message':
        return { messages: [event.message], statuses: [], response: EMPTY_TWIML };
      case 'status':
        return { messages: [], statuses: [event.status], response: EMPTY_TWIML };
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
      const text = fitPlainText(message.parts, (t) => t.length <= TEMPLATE_VARIABLE_MAX);
      content = { contentSid: settings.templateContentSid, contentVariables: JSON.stringify({ 1: text }) };
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

  async testConnection(account: ChannelAccountRef): Promise<{ ok: boolean; detail?: string }> {
    return testTwilioAccount(this.clients, this.settingsOf(account));
  }

  private settingsOf(account: ChannelAccountRef): TwilioWhatsAppSettings {
    return twilioSettingsOf(this.definition.settings, account, 'WhatsApp');
  }
}
