import type { Channel } from './messages';

/** What identifies a customer on a channel (`sender.externalUserId`). */
export type ChannelAddressKind = 'session' | 'api-user' | 'email' | 'phone' | 'slack-user';

/**
 * The facts of one channel kind that the agent and the connectors both read (Chatwoot keeps them
 * on the channel), said once here.
 */
export interface ChannelProfile {
  addressKind: ChannelAddressKind;
  /**
   * The longest answer the agent writes on this channel, in characters. It governs the agent's
   * answers: it is what a customer gets (an SMS of two or three segments, a short spoken answer).
   */
  replyBudget: number;
  /**
   * The longest text the connector takes in or sends in one message: inbound text is cut or refused
   * past it, and a longer outbound text (a person's reply from the console) is degraded by the
   * connector. Never below `replyBudget`, so the agent's answers always fit.
   */
  maxTextLength: number;
  /** The article link goes at the end of the answer text (a call cannot show one; API clients get the `source` part). */
  linksInText: boolean;
}

/** One entry per channel kind: a new kind that is not added here does not compile. */
export const CHANNEL_PROFILES = {
  webchat: { addressKind: 'session', replyBudget: 1000, maxTextLength: 4000, linksInText: true },
  api: { addressKind: 'api-user', replyBudget: 2000, maxTextLength: 10_000, linksInText: false },
  email: { addressKind: 'email', replyBudget: 5000, maxTextLength: 20_000, linksInText: true },
  slack: { addressKind: 'slack-user', replyBudget: 3000, maxTextLength: 3000, linksInText: true },
  sms: { addressKind: 'phone', replyBudget: 320, maxTextLength: 480, linksInText: true },
  voice: { addressKind: 'phone', replyBudget: 450, maxTextLength: 450, linksInText: false },
  // Twilio takes up to 1600 characters in a WhatsApp body; an answer stays a screen long.
  whatsapp: { addressKind: 'phone', replyBudget: 1000, maxTextLength: 1600, linksInText: true },
} as const satisfies Record<Channel, ChannelProfile>;

export function channelProfile(channel: Channel): ChannelProfile {
  return CHANNEL_PROFILES[channel];
}
