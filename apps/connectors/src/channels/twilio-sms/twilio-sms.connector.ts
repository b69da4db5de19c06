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
import { AttachmentStore } from '@cs/storage';
import { SmsOptOuts } from '../twilio/sms-opt-outs.store';
import { TwilioMediaStore, hasTwilioMedia } from '../twilio/twilio-media';
import { twilioSettingsOf, type TwilioEnv } from '../twilio/twilio-account';
import { TwilioClients, callTwilio, senderFor, statusCallbackFor, testTwilioAccount } from '../twilio/twilio-rest';
import { EMPTY_TWIML, isSignedForAccount, twimlMessage } from '../twilio/twilio-signature';
import { TwilioSmsSettings, TWILIO_SMS_CONNECTOR_ID, twilioSmsDefinition } from './twilio-sms.definition';
import { formatSmsBody } from './twilio-sms.format';
import { parseTwilioSms } from './twilio-sms.parse';

/**
 * SMS through Twilio. Inbound texts are acknowledged at once with empty TwiML and answered later
 * through the REST API; carrier keywords (STOP, START, HELP) are handled here and never reach the
 * agent. Status callbacks and opt-outs are returned, for the one writer of delivery state to apply.
 * Outbound uses the official SDK, pointed at TWILIO_API_BASE_URL when set.
 */
@Injectable()
export class TwilioSmsConnector implements ChannelConnector {
  readonly definition = twilioSmsDefinition;
  private readonly clients: TwilioClients;
  private readonly publicUrl?: string;
  private readonly optOuts: SmsOptOuts;
  private readonly media: TwilioMediaStore;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(AttachmentStore) files: AttachmentStore,
    @Optional() @Inject(APP_CONFIG) env?: TwilioEnv,
  ) {
    this.optOuts = new SmsOptOuts(dataSource);
    this.media = new TwilioMediaStore(files, env?.TWILIO_API_BASE_URL);
    this.clients = new TwilioClients(env?.TWILIO_API_BASE_URL);
    this.publicUrl = env?.PUBLIC_URL?.replace(/\/+$/, '');
  }

  verify(req: WebhookRequest, account: ChannelAccountRef | null): boolean {
    return isSignedForAccount(req, account);
  }

  /** Stores an MMS's pictures (they need the account's credentials to fetch); writes nothing else. */
  async receive(req: WebhookRequest, account: ChannelAccountRef | null): Promise<ReceivedWebhook> {
    if (!account) throw new ConnectorError('PERMANENT', 'a Twilio webhook must name its channel account');
    const event = parseTwilioSms(req, account.id);
    switch (event.kind) {
      case 'message': {
        const message = hasTwilioMedia(event.message) ? await this.media.store(account.tenantId, this.settingsOf(account), event.message) : event.message;
        return { messages: [message], statuses: [], response: EMPTY_TWIML };
      }
      case 'status':
        return { messages: [], statuses: [event.status], response: EMPTY_TWIML };
      case 'keyword':
        if (event.keyword === 'help') return { messages: [], statuses: [], response: twimlMessage(this.settingsOf(account).helpText) };
        // Twilio (and the carrier) confirm STOP and START to the customer themselves.
        return { messages: [], statuses: [], optOuts: [{ address: event.from, optedOut: event.keyword === 'opt-out' }], response: EMPTY_TWIML };
      default:
        return { messages: [], statuses: [], response: EMPTY_TWIML };
    }
  }

  async send(message: OutboundMessage, account: ChannelAccountRef): Promise<SendResult> {
    const settings = this.settingsOf(account);
    const to = message.target.address ?? message.target.externalUserId;
    if (await this.optOuts.isOptedOut(account.tenantId, to)) {
      throw new ConnectorError('INVALID_RECIPIENT', `${to} has opted out of texts (STOP)`);
    }
    const body = formatSmsBody(message.parts, settings.maxSegments);
    if (!body) throw new ConnectorError('NOT_SUPPORTED', 'nothing in this message can be sent as a text');

    const client = this.clients.for(settings);
    const created = await callTwilio(
      'sending an SMS',
      () =>
        client.messages.create({
          to,
          body,
          ...senderFor(settings.phoneNumbers, settings.messagingServiceSid, message.channelData.twilioTo),
          ...statusCallbackFor(this.publicUrl, TWILIO_SMS_CONNECTOR_ID, account.id, message.messageId),
        }),
      to,
    );
    return { externalMessageId: created.sid };
  }

  async testConnection(account: ChannelAccountRef): Promise<{ ok: boolean; detail?: string }> {
    return testTwilioAccount(this.clients, this.settingsOf(account));
  }


  private settingsOf(account: ChannelAccountRef): TwilioSmsSettings {
    return twilioSettingsOf(this.definition.settings, account, 'Twilio SMS');
  }
}
