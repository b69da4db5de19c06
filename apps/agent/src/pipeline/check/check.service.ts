import { Injectable } from '@nestjs/common';
import { textOf } from '@cs/contracts';
import type { Passage } from '@cs/knowledge';
import type { CheckResult, Draft, Retrieval } from '../pipeline.types';
import { splitUnits } from '../generate/extractive-answer';

/**
 * The last gate before an answer goes out. Any failure turns the answer into a hand-off: an honest
 * "a person will reply" is better than a guess.
 */
@Injectable()
export class CheckService {
  check(retrieval: Retrieval, draft: Draft, maxLength: number): { passed: boolean; checks: CheckResult[] } {
    const best: Passage | undefined = retrieval.passages[0];
    const checks: CheckResult[] = [
      {
        name: 'confidence',
        passed: !!best && best.score >= retrieval.threshold,
        detail: { score: best?.score ?? retrieval.rejected[0]?.score ?? 0, threshold: retrieval.threshold },
      },
      { name: 'grounded', passed: !!best && isGrounded(textOf(draft.parts), best) },
      { name: 'fits_channel', passed: textOf(draft.parts).length <= maxLength, detail: { maxLength } },
    ];
    return { passed: checks.every((c) => c.passed), checks };
  }
}

/** Every sentence of the answer (bar the link line and a cut mark) appears in the passage. */
function isGrounded(text: string, passage: Passage): boolean {
  const body = text.replace(/\n\nMore: \S+$/, '').replace(/…$/, '');
  const units = splitUnits(body).map((u) => u.text);
  return units.length > 0 && units.every((u) => passage.content.includes(u));
}
