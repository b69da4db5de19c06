import type { Type } from '@nestjs/common';
import type { ChannelConnector } from '@cs/contracts';
import { ApiConnector } from '../channels/api/api.connector';
import { WebchatConnector } from '../channels/webchat/webchat.connector';
import { TwilioSmsConnector } from '../channels/twilio-sms/twilio-sms.connector';
import { TwilioVoiceConnector } from '../channels/twilio-voice/twilio-voice.connector';
import { TwilioWhatsAppConnector } from '../channels/twilio-whatsapp/twilio-whatsapp.connector';
import { SlackConnector } from '../channels/slack/slack.connector';
import { EmailConnector } from '../channels/email/email.connector';

/**
 * Every connector the product ships, in one place. Adding a channel is one folder under
 * `channels/` and one line here (apps/connectors/README.md).
 */
export const CONNECTORS: Type<ChannelConnector>[] = [
  WebchatConnector,
  ApiConnector,
  TwilioSmsConnector,
  TwilioVoiceConnector,
  SlackConnector,
  EmailConnector,
  TwilioWhatsAppConnector,
];
