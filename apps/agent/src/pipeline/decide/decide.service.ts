import { Injectable } from '@nestjs/common';
import type { Decision, SmalltalkIntent, Understanding } from '../pipeline.types';

const SMALLTALK = new Set(['greeting', 'thanks', 'goodbye']);
/** Below this the classifier's small talk or "a person please" is not trusted to skip retrieval. */
const SURE = 0.7;

/**
 * What to do with a message: refuse steering attempts, give a person to whoever asks or is angry,
 * small talk a short reply, everything else retrieval (complaints, unhappy customers and messages
 * the intent model finds out of scope with a stricter bar). Confident action intents (order status, cancel) are marked for the
 * act stage, which carries them out when the tenant has connected a shop backend.
 */
@Injectable()
export class DecideService {
  decide(understanding: Understanding, text: string): Decision {
    if (understanding.injection) return { kind: 'handoff', reason: 'prompt_injection' };
    const { intent, kind, score, rule } = understanding;
    if (intent === 'talk_to_person' && (rule || score >= SURE)) return { kind: 'handoff', reason: 'customer_asked_for_person' };
    if (isUpset(understanding, text)) return { kind: 'handoff', reason: 'customer_upset' };
    if (SMALLTALK.has(intent) && (rule || (score >= SURE && isShort(text)))) return { kind: 'smalltalk', intent: intent as SmalltalkIntent };
    if (kind === 'handoff' && intent !== 'complaint' && intent !== 'talk_to_person' && score >= SURE) return { kind: 'handoff', reason: 'intent_needs_person' };
    // Nothing to search for (an emoji, an empty message with an attachment): let a person look.
    if (!/[\p{L}\p{N}]/u.test(text)) return { kind: 'handoff', reason: 'no_confident_answer' };
    // Out of scope for the intent model too: only a clearly matching article may answer.
    const strict = intent === 'complaint' || intent === 'out_of_scope' || understanding.sentiment.label === 'negative';
    // A confident action intent goes to the act stage first; without a backend for it, retrieval answers as before.
    if (kind === 'action' && score >= SURE) return { kind: 'answer', strict, action: intent };
    return { kind: 'answer', strict };
  }
}

/** Small talk is short: "hi, my parcel has not arrived" is a question that starts politely. */
function isShort(text: string): boolean {
  return !text.includes('?') && (text.match(/[\p{L}\p{N}']+/gu) ?? []).length <= 5;
}

/**
 * The lexicon flags anger from single words ("worst", "unacceptable"); a calm question that happens to
 * use one ("what is the worst-case delivery time?") is still a question. Strong anger, a complaint, or
 * an angry message that asks nothing goes to a person.
 */
function isUpset(understanding: Understanding, text: string): boolean {
  const { sentiment, intent } = understanding;
  if (!sentiment.angry) return false;
  return intent === 'complaint' || sentiment.score <= -0.6 || !text.includes('?');
}
