import type { MessagePart } from '@cs/contracts';
import { fitPlainText } from '../twilio/plain-text';
import { countSegments, smartEncode } from './sms-segments';

export { stripMarkdown } from '../twilio/plain-text';

/**
 * The body of an SMS answer: plain text, at most `maxSegments` segments, and the article as a link
 * at the end rather than its text (twilio/plain-text.ts).
 */
export function formatSmsBody(parts: MessagePart[], maxSegments: number): string {
  return fitPlainText(parts, (text) => countSegments(text) <= maxSegments, smartEncode);
}
