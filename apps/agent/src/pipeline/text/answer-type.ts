/*
 * What kind of answer a question asks for, and whether a text gives one: "how much", "how long",
 * "how many" want an amount, and a passage that names the topic without a figure ("Returns depend
 * on your membership") does not answer them, however many words it shares. English only: other
 * languages' questions are not typed (no check rather than a wrong one).
 */

const ASKS_AMOUNT = /\bhow\s+(?:much|many|long|soon|often|far|old|big|large|late|early)\b|\bwhat(?:'s|\s+is|\s+are|\s+does|\s+do|\s+will)?\s+(?:it|this|that|they|the|a|an|your|my)?\s*(?:price|cost|fee|charge|rate|percentage|discount|amount)s?\b|\bhow\s+\w+\s+(?:does|do|will|would)\s+\w+(?:\s+\w+)?\s+cost\b|\bwhat\s+(?:does|do|will|would)\s+(?:it|this|that|they|\w+)(?:\s+\w+){0,4}\s+cost\b/i;

const AMOUNT_WORDS = new Set(
  ('zero one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty ninety hundred thousand ' +
    'half double twice once unlimited free percent dozen week weeks month months year years day days hour hours minute minutes').split(' '),
);

/** The question wants an amount (a price, a duration, a count). */
export function asksForAmount(question: string): boolean {
  return ASKS_AMOUNT.test(question);
}

/** The text states an amount: a figure, a currency sign, or an amount in words. */
export function statesAmount(text: string): boolean {
  if (/\d|[$€£¥%]/.test(text)) return true;
  return (text.toLowerCase().match(/\p{L}+/gu) ?? []).some((w) => AMOUNT_WORDS.has(w));
}

/**
 * How well an extractive answer's best sentence must answer (0..1, its words and meaning together:
 * generate/extractive-answer.ts) for the check to let it go out. On the policy proxy (test/eval) the
 * sentences that answer score 0.39-0.95, the best sentence of a passage that does not 0.13-0.36.
 */
export const RELEVANCE_BAR = 0.375;

