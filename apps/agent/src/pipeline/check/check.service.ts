import { Injectable } from '@nestjs/common';
import { textOf } from '@cs/contracts';
import type { Passage } from '@cs/knowledge';
import type { CheckResult, Draft, Retrieval } from '../pipeline.types';
import { splitUnits } from '../text/sentences';
import { MORE_LINK } from '../text/links';
import { detectInjection } from '../text/injection';
import { measureSupport } from './support';
import { asksForAmount, RELEVANCE_BAR, statesAmount } from '../text/answer-type';
import { foreignPersonalData } from './personal-data';

export interface CheckInput {
  retrieval: Retrieval;
  draft: Draft;
  maxLength: number;
  /** The customer's own words (their email or order number may be repeated back to them). */
  customerText: string;
  /** Set for a model's answer: the passages as numbered in its prompt. */
  cited?: Passage[];
}

/**
 * The last gate before an answer goes out. Any failure turns the answer into a hand-off: an honest
 * "a person will reply" is better than a guess.
 */
@Injectable()
export class CheckService {
  check(input: CheckInput): { passed: boolean; checks: CheckResult[] } {
    const { retrieval, draft, maxLength } = input;
    const best: Passage | undefined = retrieval.passages[0];
    const text = textOf(draft.parts);
    const body = text.replace(MORE_LINK, '');
    const sources = input.cited ?? retrieval.passages;
    const checks: CheckResult[] = [
      {
        name: 'confidence',
        passed: !!best && best.score >= retrieval.threshold,
        detail: { score: best?.score ?? retrieval.rejected[0]?.score ?? 0, threshold: retrieval.threshold },
      },
    ];
    if (input.cited) {
      const sentences = measureSupport(body, input.cited.map((p) => p.content));
      checks.push({ name: 'supported', passed: sentences.length > 0 && sentences.every((s) => s.supported), detail: { sentences } });
    } else {
      checks.push({ name: 'grounded', passed: !!best && isGrounded(body, sources) });
    }
    if (draft.relevance) checks.push(answersQuestion(draft.relevance, input.customerText, body));
    const foreign = foreignPersonalData(body, [input.customerText, ...sources.map((p) => p.content)]);
    checks.push({ name: 'personal_data', passed: foreign.length === 0, ...(foreign.length ? { detail: { foreign } } : {}) });
    const steering = detectInjection(body);
    checks.push({ name: 'injection', passed: !steering, ...(steering ? { detail: { text: steering } } : {}) });
    checks.push({ name: 'fits_channel', passed: text.length <= maxLength, detail: { maxLength } });
    return { passed: checks.every((c) => c.passed), checks };
  }

  /**
   * An action's reply (act stage): no email, phone or order number but those it may show (`allowed`:
   * the customer's own words, the order they proved is theirs). Its sentences are our templates, so
   * this is the one check that applies: it stops another customer's order from ever being disclosed.
   */
  checkAction(text: string, allowed: string[]): CheckResult {
    const foreign = foreignPersonalData(text, allowed);
    return { name: 'personal_data', passed: foreign.length === 0, ...(foreign.length ? { detail: { foreign } } : {}) };
  }
}

/**
 * An extractive answer is verbatim, so grounded; but a verbatim sentence that only shares a word or
 * two with the question, or names its topic without the amount it asks for, answers something else.
 * The bar is on the answer's best sentence (its words and meaning: generate/extractive-answer.ts).
 */
function answersQuestion(relevance: NonNullable<Draft['relevance']>, question: string, answer: string): CheckResult {
  const wantsAmount = asksForAmount(question);
  const amount = !wantsAmount || statesAmount(answer);
  return { name: 'answers_question', passed: relevance.score >= RELEVANCE_BAR && amount, detail: { ...relevance, bar: RELEVANCE_BAR, ...(wantsAmount ? { amount } : {}) } };
}

/** Every sentence of an extractive answer (bar the cut mark) appears verbatim in one of the passages. */
function isGrounded(text: string, passages: Passage[]): boolean {
  const units = splitUnits(text.replace(/…$/, '')).map((u) => u.text.replace(/…$/, ''));
  return units.length > 0 && units.every((u) => passages.some((p) => p.content.includes(u)));
}
