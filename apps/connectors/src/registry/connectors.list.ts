import type { Type } from '@nestjs/common';
import type { ChannelConnector } from '@cs/contracts';
import { ApiConnector } from '../channels/api/api.connector';
import { WebchatConnector } from '../channels/webchat/webchat.connector';
import { EmailConnector } from '../channels/email/email.connector';

/**
 * Every connector the product ships, in one place. Adding a channel is one folder under
 * `channels/` and one line here (apps/connectors/README.md).
 */
export const CONNECTORS: Type<ChannelConnector>[] = [
  WebchatConnector,
  ApiConnector,
  EmailConnector,
];
