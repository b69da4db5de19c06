import { Injectable } from '@nestjs/common';
import { describeOpening, fillTemplate, nextOpening, sentFilesOf, type BusinessHours, type ReplyLanguage } from '@cs/contracts';
import type { Passage } from '@cs/knowledge';
import type { Draft, HandoffReason, Turn } from '../pipeline/pipeline.types';
import { TEMPLATES, type TemplateName } from '../pipeline/text/templates';

const MESSAGE_OF: Record<HandoffReason, Extract<TemplateName, `handoff${string}`>> = {
  customer_asked_for_person: 'handoffAsked',
  intent_needs_person: 'handoffAsked',
  no_confident_answer: 'handoffUnsure',
  failed_check: 'handoffUnsure',
  customer_upset: 'handoffUpset',
  language_not_supported: 'handoffLanguage',
  prompt_injection: 'handoffRefused',
  action_failed: 'handoffAction',
  identity_not_verified: 'handoffAction',
  action_needs_approval: 'handoffAction',
  attachment_needs_person: 'handoffFile',
};

/**
 * The honest holding message, in the customer's language, and the note (in English, for staff) for
 * the person who picks the conversation up. A tenant's own wording (`handoffMessage`,
 * `{expectedResponseTime}` filled in) wins in every language: we cannot translate it. Outside the
 * tenant's business hours (the same ones voice reads), the expected time is when the shop opens
 * again, in the customer's language and the shop's time zone.
 */
@Injectable()
export class HandoffService {
  draft(turn: Turn, reason: HandoffReason, language: ReplyLanguage, closest?: Passage, now = new Date()): Draft {
    const settings = turn.settings;
    const expected = whenOpen(settings.businessHours as BusinessHours | undefined, settings.timezone, language, now)
      ?? (typeof settings.expectedResponseTime === 'string' ? settings.expectedResponseTime : TEMPLATES[language].responseTime);
    // A file is acknowledged in our words, naming it: the tenant's holding message could not say what arrived.
    const custom = reason === 'customer_asked_for_person' ? settings.handoffRequestedMessage : reason === 'attachment_needs_person' ? undefined : settings.handoffMessage;
    const template = typeof custom === 'string' && custom.trim() ? custom : TEMPLATES[language][MESSAGE_OF[reason]];
    const text = fillTemplate(template, { expectedResponseTime: expected, files: fileNames(turn) });
    return { text, parts: [{ type: 'text', text }], handoff: { reason, summary: summarize(turn, reason, closest) } };
  }
}

/** Closed now: "when we open again on Monday at 09:00 CET"; open (or no hours set): undefined. */
function whenOpen(hours: BusinessHours | undefined, timezone: string | undefined, language: ReplyLanguage, now: Date): string | undefined {
  const opening = nextOpening(hours, timezone, now);
  if (!opening || opening.getTime() === now.getTime()) return undefined;
  return fillTemplate(TEMPLATES[language].afterHours, describeOpening(opening, timezone, language));
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
    action_failed: 'An action on the shop (see the trace) was not done: the backend failed or refused it.',
    identity_not_verified: 'The customer could not prove the order is theirs (too many failed attempts).',
    action_needs_approval: 'The customer confirmed an action the shop wants a person to approve and carry out.',
    attachment_needs_person: `The customer sent ${sentFilesOf(turn.inbound.parts).length} file(s) (${fileNames(turn)}) for a person to look at.`,
  };
  const question = turn.text.length > 300 ? `${turn.text.slice(0, 299)}…` : turn.text;
  const hint = closest ? ` Closest article: "${closest.title}" (score ${closest.score}).` : '';
  return `${why[reason]} Customer wrote on ${turn.inbound.channel}: "${question}".${hint}`;
}

/** The sent files as the customer knows them: their names, else their types. */
function fileNames(turn: Turn): string {
  return sentFilesOf(turn.inbound.parts)
    .map((p) => ('name' in p && p.name) || p.mimeType || p.type)
    .join(', ');
}
