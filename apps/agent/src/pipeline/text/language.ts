import type { LanguageGuess } from '@cs/ai';
import { asReplyLanguage, type ReplyLanguage } from '@cs/contracts';

/** Below this, a language guess is not acted on (answering, searching and templates all use it). */
export const CONFIDENT_LANGUAGE = 0.6;

/**
 * The language of the agent's own sentences: the customer's when it is confidently detected and
 * in templates.ts. Nothing tracks a conversation's or a tenant's language yet, so otherwise English.
 */
export function replyLanguage(guess: LanguageGuess): ReplyLanguage {
  const language = asReplyLanguage(guess.language);
  return language && guess.confidence >= CONFIDENT_LANGUAGE ? language : 'en';
}
