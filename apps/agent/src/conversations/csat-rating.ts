import { textOf, type Channel, type InboundMessage } from '@cs/contracts';

/**
 * Where the agent asks for a rating after a resolved conversation, and how the customer answers:
 * a reply with a number (email, SMS, WhatsApp) or a button (Slack). Web chat and the API channel
 * have their own (the widget's stars, the shop's server).
 */
export const CSAT_SURVEY: Partial<Record<Channel, 'reply' | 'buttons'>> = {
  email: 'reply',
  sms: 'reply',
  whatsapp: 'reply',
  slack: 'buttons',
};

/** How long after the question an answer still counts as one. */
export const CSAT_ANSWER_DAYS = 7;

const NUMBER = /^\s*([1-5])\s*(?:\/\s*5|(?:out )?of 5|stars?|★+|⭐+)?\s*[.!]*\s*$/i;
const STARS = /^\s*(⭐|★)+\s*$/u;

/**
 * The rating a message gives, when the whole message is one: a button's rating, "4", "4/5",
 * "5 stars", "⭐⭐⭐". Anything longer is a new question, not an answer to the survey.
 */
export function ratingOf(inbound: InboundMessage): number | null {
  if (typeof inbound.channelData.csatRating === 'number') return inbound.channelData.csatRating;
  const text = textOf(inbound.parts);
  const number = NUMBER.exec(text);
  if (number) return Number(number[1]);
  if (STARS.test(text)) {
    const count = [...text.trim()].filter((c) => c === '⭐' || c === '★').length;
    return count >= 1 && count <= 5 ? count : null;
  }
  return null;
}
