import type { Channel } from '@cs/contracts';

/**
 * How long an answer may be on each channel. The agent does not speak channel protocols, only
 * lengths: a connector still degrades what it cannot show (ARCHITECTURE.md, "A connector").
 */
export const CHANNEL_MAX_TEXT: Record<Channel, number> = {
  webchat: 1000,
  api: 2000,
  email: 5000,
  slack: 3000,
  sms: 320,
  voice: 450,
};

/** Channels whose reply text ends with the article link (a voice call cannot show one; API clients get the `source` part). */
export const CHANNELS_WITH_LINK_IN_TEXT: ReadonlySet<Channel> = new Set<Channel>(['webchat', 'email', 'slack', 'sms']);
