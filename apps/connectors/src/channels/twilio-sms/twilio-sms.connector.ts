import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import twilio from 'twilio';
import {
  ChannelAccountRef,
  ChannelConnector,
  ConnectorError,
  OutboundMessage,
  ReceivedWebhook,
  SendResult,
  WebhookRequest,
  WebhookResponse,
} from '@cs/contracts';
import { APP_CONFIG } from '@cs/config';
import { AttachmentStore } from '@cs/storage';
import { SmsOptOuts } from '../twilio/sms-opt-outs.store';
import type { TwilioEnv } from '../twilio/twilio-account';
import { TwilioClients, callTwilio } from '../twilio/twilio-rest';
import { isSignedByTwilio } from '../twilio/twilio-signature';
import { SmsMediaStore } from './twilio-sms.media';
import { TwilioSmsSettings, TWILIO_SMS_CONNECTOR_ID, twilioSmsDefinition } from './twilio-sms.definition';
import { formatSmsBody } from './twilio-sms.format';
import { parseTwilioSms } from './twilio-sms.parse';

const EMPTY_TWIML: WebhookResponse = { status: 200, headers: { 'content-type': 'text/xml' }, body: '<Response/>' };

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
  private readonly media: SmsMediaStore;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(AttachmentStore) files: AttachmentStore,
    @Optional() @Inject(APP_CONFIG) env?: TwilioEnv,
  ) {
    this.optOuts = new SmsOptOuts(dataSource);
    this.media = new SmsMediaStore(files, env?.TWILIO_API_BASE_URL);
    this.clients = new TwilioClients(env?.TWILIO_API_BASE_URL);
    this.publicUrl = env?.PUBLIC_URL?.replace(/\/+$/, '');
  }

  verify(req: WebhookRequest, account: ChannelAccountRef | null): boolean {
    const authToken = account?.settings.authToken;
    return typeof authToken === 'string' && isSignedByTwilio(req, authToken);
  }

  /** Stores an MMS's pictures (they need the account's credentials to fetch); writes nothing else. */
  async receive(req: WebhookRequest, account: ChannelAccountRef | null): Promise<ReceivedWebhook> {
    if (!account) throw new ConnectorError('PERMANENT', 'a Twilio webhook must name its channel account');
    const event = parseTwilioSms(req, account.id);
    switch (event.kind) {
      case 'message': {
        const hasMedia = event.message.parts.some((p) => (p.type === 'image' || p.type === 'file') && p.url);
        const message = hasMedia ? await this.media.store(account.tenantId, this.settingsOf(account), event.message) : event.message;
        return { messages: [message], statuses: [], response: EMPTY_TWIML };
      }
      case 'status':
        return { messages: [], statuses: [event.status], response: EMPTY_TWIML };
      case 'keyword':
        if (event.keyword === 'help') return { messages: [], statuses: [], response: this.helpTwiml(account) };
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
          ...this.sender(settings, message),
          ...(this.publicUrl
            ? { statusCallback: `${this.publicUrl}/hooks/${TWILIO_SMS_CONNECTOR_ID}/${account.id}?messageId=${message.messageId}` }
            : {}),
        }),
      to,
    );
    return { externalMessageId: created.sid };
  }

  async testConnection(account: ChannelAccountRef): Promise<{ ok: boolean; detail?: string }> {
    const settings = this.settingsOf(account);
    try {
      const found = await callTwilio('fetching the account', () => this.clients.for(settings).api.v2010.accounts(settings.accountSid).fetch());
      return { ok: found.status === 'active', detail: `${found.friendlyName} (${found.status})` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  /** The number the customer wrote to, when it is ours; else the Messaging Service; else our first number. */
  private sender(settings: TwilioSmsSettings, message: OutboundMessage): { from: string } | { messagingServiceSid: string } {
    const wroteTo = message.channelData.twilioTo;
    if (wroteTo && settings.phoneNumbers.includes(wroteTo)) return { from: wroteTo };
    if (settings.messagingServiceSid) return { messagingServiceSid: settings.messagingServiceSid };
    return { from: settings.phoneNumbers[0] };
  }

  private helpTwiml(account: ChannelAccountRef): WebhookResponse {
    const response = new twilio.twiml.MessagingResponse();
    response.message(this.settingsOf(account).helpText);
    return { ...EMPTY_TWIML, body: response.toString() };
  }

  private settingsOf(account: ChannelAccountRef): TwilioSmsSettings {
    const parsed = this.definition.settings.safeParse(account.settings);
    if (!parsed.success) {
      throw new ConnectorError('AUTH', `the Twilio SMS channel is not configured: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return parsed.data;
  }
}
