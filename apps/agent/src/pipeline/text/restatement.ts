/*
 * Sentences that say what a section is about without answering anything about it: a description of
 * the customer's situation, a label naming topics. An extractive answer never consists of them
 * (generate/extractive-answer.ts); they stay in it as the context of the sentence that answers.
 */

import { statesAmount } from './answer-type';

/*
 * Knowledge written for staff (a playbook, macros, internal guidelines) opens a section by describing
 * the customer's situation in the third person ("The customer's card keeps being declined", "the
 * cost is too high, so the customer wants it waived"): the question said as much, so it is the best
 * match and no answer. Such a sentence has the customer for subject (of it, or of a clause joined to it
 * saying what they want, believe or have) and nothing that prescribes or decides (no instruction, modal,
 * condition or figure); a customer-facing rule ("Customers with a receipt can return items within 30 days") has one.
 */
const ABOUT_CUSTOMER = /^(?:the\s+|a\s+|our\s+)?customers?(?:['\u2019]s?)?\s|(?:,\s*|\b(?:so|because|and|as)\s+)the\s+customers?\s+(?:wants?|believes?|thinks?|feels?|is|are|has|have|did\s+not|didn['\u2019]t|does\s+not|doesn['\u2019]t|claims?|says?)\b/i;
const DECIDES = /\b(?:can|cannot|can't|could|will|won't|would|should|must|may|might|need|needs|needed|has\s+to|have\s+to|if|unless|when|only|then|free)\b|\d|[$€£%]/i;
/** What an instruction adds to that: the agent is told to do something. */
const PRESCRIBES = new RegExp(`${DECIDES.source}|\\b(?:please|ask|tell|offer|check)\\b`, 'i');

/** A sentence about the customer that decides nothing. */
export function restatesSituation(text: string): boolean {
  return ABOUT_CUSTOMER.test(text) && !DECIDES.test(text);
}

/**
 * "Delivery Help: tracking, delays, and lost parcels.": a label and the topics it covers,
 * or a title and the phrase it stands for, no statement.
 */
export function labelsTopics(text: string): boolean {
  const m = /^([^:.!?]{2,40}):\s+([^:.!?]+)\.?$/.exec(text.trim());
  if (!m || /\d|[$€£%]/.test(m[2])) return false;
  const label = m[1].trim().split(/\s+/);
  if (label.length > 4) return false;
  // A title ("Order Help: change or cancel an order you placed") names what follows, whatever its phrase says.
  if (label.length >= 2 && label.every((w) => /^\p{Lu}/u.test(w)) && m[2].trim().split(/\s+/).length <= 12) return true;
  if (PRESCRIBES.test(m[2])) return false;
  const topics = m[2].split(/,\s*|\s+(?:and|or)\s+/).filter((t) => t.trim());
  return topics.length >= 2 && topics.every((t) => t.trim().split(/\s+/).length <= 4);
}

/** A refusal or a limit is a rule: "We do not accept cash on delivery" answers "can I pay cash on delivery?". */
const NEGATES = /\b(?:not|never|cannot)\b|n['\u2019]t\b/i;

/**
 * A whole sentence that prescribes, decides, refuses and counts nothing and introduces no list: a
 * description. A list item ("PayPal") is a case of its rule, however close it is to the question.
 */
export function describesOnly(unit: { text: string; listItem: boolean }): boolean {
  const words = unit.text.match(/[\p{L}\p{N}']+/gu) ?? [];
  if (unit.listItem || words.length < 6 || unit.text.endsWith(':')) return false;
  return !PRESCRIBES.test(unit.text) && !NEGATES.test(unit.text) && !statesAmount(unit.text);
}
