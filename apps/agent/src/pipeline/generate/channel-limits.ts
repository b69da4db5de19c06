import { CHANNELS, CHANNEL_PROFILES, type Channel } from '@cs/contracts';

/**
 * How long an answer may be on each channel: the reply budget of the channel's profile in
 * `@cs/contracts` (channel-profile.ts), which the connectors read too. The budget governs the
 * agent's answers; the connector's `maxTextLength` is the channel's hard limit above it. The agent
 * does not speak channel protocols, only lengths: a connector still degrades what it cannot show
 * (ARCHITECTURE.md, "A connector").
 */
export const CHANNEL_MAX_TEXT: Record<Channel, number> = Object.fromEntries(
  CHANNELS.map((channel) => [channel, CHANNEL_PROFILES[channel].replyBudget]),
) as Record<Channel, number>;

/** Channels whose reply text ends with the article link (`linksInText` of the channel's profile). */
export const CHANNELS_WITH_LINK_IN_TEXT: ReadonlySet<Channel> = new Set<Channel>(CHANNELS.filter((channel) => CHANNEL_PROFILES[channel].linksInText));
