import { questionTerms, sameWord } from '../generate/extractive-answer';

export interface SentenceSupport {
  sentence: string;
  citations: number[];
  /** Share of the sentence's content words found in its cited passages (0..1). */
  overlap: number;
  /** Numbers in the sentence that none of its cited passages contain. */
  unsupportedNumbers: string[];
  supported: boolean;
}

/** A sentence needs this share of its content words in the passages it cites. */
export const SUPPORT_THRESHOLD = 0.6;

/**
 * Measures, sentence by sentence, whether a model's answer says only what its cited passages say:
 * the content words it shares with them (inflections count: "deliver"~"delivery") and every number
 * (a price, a number of days — the facts a model most often invents) found verbatim. A sentence
 * without a citation is supported by nothing.
 */
export function measureSupport(answer: string, passages: string[]): SentenceSupport[] {
  const sentences = answer
    .split(/(?<=[.!?\]])\s+(?=[\p{Lu}\p{N}"'(])/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s.replace(/\[\d+\]/g, '')));
  return sentences.map((sentence) => {
    const citations = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).filter((n) => n >= 1 && n <= passages.length);
    const body = sentence.replace(/\[\d+\]/g, ' ');
    const source = citations.map((n) => passages[n - 1]).join('\n');
    const sourceWords = questionTerms(source);
    const words = questionTerms(body).filter((w) => !/^\d+$/.test(w));
    const found = words.filter((w) => sourceWords.some((s) => sameWord(w, s))).length;
    const overlap = words.length ? found / words.length : 1;
    const numbers = body.match(/\d+(?:[.,]\d+)?/g) ?? [];
    const sourceNumbers = new Set(source.match(/\d+(?:[.,]\d+)?/g) ?? []);
    const unsupportedNumbers = numbers.filter((n) => !sourceNumbers.has(n));
    return {
      sentence,
      citations,
      overlap: Math.round(overlap * 100) / 100,
      unsupportedNumbers,
      supported: citations.length > 0 && overlap >= SUPPORT_THRESHOLD && unsupportedNumbers.length === 0,
    };
  });
}
