import { Injectable } from '@nestjs/common';
import type { Passage } from '@cs/knowledge';
import type { Draft, HandoffReason, Turn } from '../pipeline/pipeline.types';

const DEFAULT_RESPONSE_TIME = 'as soon as possible';
const DEFAULT_MESSAGES: Record<'asked' | 'unsure' | 'upset' | 'language' | 'refused', string> = {
  asked: "Of course. I've passed your conversation to our team, and a person will reply here {expectedResponseTime}.",
  unsure:
    "I'm not sure I can answer that correctly, so I've passed your question to our team. A person will reply here {expectedResponseTime}.",
  upset: "I'm sorry about this. I've passed your conversation to our team, and a person will reply here {expectedResponseTime}.",
  language:
    "Sorry, I can't answer in your language yet, so I've passed your message to our team. A person will reply here {expectedResponseTime}.",
  refused: "I can't help with that request, so I've passed your message to our team. A person will reply here {expectedResponseTime}.",
};
const MESSAGE_OF: Record<HandoffReason, keyof typeof DEFAULT_MESSAGES> = {
  customer_asked_for_person: 'asked',
  intent_needs_person: 'asked',
  no_confident_answer: 'unsure',
  failed_check: 'unsure',
  customer_upset: 'upset',
  language_not_supported: 'language',
  prompt_injection: 'refused',
};

/**
 * The honest holding message and the note for the person who picks the conversation up. Tenants
 * may word it themselves (`handoffMessage`, `{expectedResponseTime}` is filled in).
 */
@Injectable()
export class HandoffService {
  draft(turn: Turn, reason: HandoffReason, closest?: Passage): Draft {
    const settings = turn.settings;
    const expected = typeof settings.expectedResponseTime === 'string' ? settings.expectedResponseTime : DEFAULT_RESPONSE_TIME;
    const custom = reason === 'customer_asked_for_person' ? settings.handoffRequestedMessage : settings.handoffMessage;
    const template = typeof custom === 'string' && custom.trim() ? custom : DEFAULT_MESSAGES[MESSAGE_OF[reason]];
    const text = template.replace(/\{expectedResponseTime\}/g, expected);
    return { text, parts: [{ type: 'text', text }], handoff: { reason, summary: summarize(turn, reason, closest) } };
  }
}

function summarize(turn: Turn, reason: HandoffReason, closest?: Passage): string {
  const why: Record<HandoffReason, string> = {
    customer_asked_for_person: 'The customer asked for a person.',
    no_confident_answer: 'The knowledge base has no confident answer.',
    failed_check: 'A drafted answer failed a check.',
    customer_upset: 'The customer is upset.',
    language_not_supported: 'The customer writes in a language the knowledge base has no articles in.',
    prompt_injection: 'The message tried to instruct the agent; it was refused.',
    intent_needs_person: 'The request is one the shop wants a person to handle.',
  };
  const question = turn.text.length > 300 ? `${turn.text.slice(0, 299)}…` : turn.text;
  const hint = closest ? ` Closest article: "${closest.title}" (score ${closest.score}).` : '';
  return `${why[reason]} Customer wrote on ${turn.inbound.channel}: "${question}".${hint}`;
}
