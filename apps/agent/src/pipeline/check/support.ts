import { questionTerms, sameWord, splitUnits } from '../text/sentences';

export type UnsupportedReason = 'no_citation' | 'invented_number' | 'misattributed_number' | 'words_not_in_passage';

export interface SentenceSupport {
  sentence: string;
  citations: number[];
  /** The cited passage's sentence (or two adjacent ones) that supports it; when none does, the closest in words. */
  source?: { passage: number; text: string };
  /** Share of the sentence's content words found in `source` (0..1). */
  overlap: number;
  /** Numbers in the sentence that none of its cited passages contain: invented. */
  unsupportedNumbers: string[];
  /** Numbers the cited passages hold, but not `source`: a real figure attached to the wrong fact. */
  misplacedNumbers: string[];
  supported: boolean;
  reason?: UnsupportedReason;
}

/** A sentence needs this share of its content words in the passage sentence it rests on. */
export const SUPPORT_THRESHOLD = 0.6;

/** What a piece of the answer states: its content words and its numbers. */
interface Claim {
  words: string[];
  numbers: string[];
}

/** One sentence (or list item, or heading) of a cited passage. */
interface PassageSentence {
  passage: number;
  text: string;
  terms: string[];
  numbers: Set<string>;
}

interface Fit {
  unit: PassageSentence;
  overlap: number;
  /** The claim's numbers this passage sentence lacks. */
  missing: string[];
}

const NUMBER_WORDS = new Map<string, number>([
  ...'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'
    .split(' ')
    .map((w, i): [string, number] => [w, i]),
  ...'twenty thirty forty fifty sixty seventy eighty ninety'.split(' ').map((w, i): [string, number] => [w, 20 + 10 * i]),
]);

/**
 * Measures, sentence by sentence, whether a model's answer says only what its cited passages say.
 * A sentence must rest on one sentence of a cited passage: that sentence holds every number it
 * states (a price, a number of days — the facts a model most often gets wrong) and the most of its
 * content words of any passage sentence, at least SUPPORT_THRESHOLD of them (inflections count:
 * "deliver"~"delivery"). Checking per passage sentence rather than per passage is what catches a
 * real number attached to the wrong fact ("returns within 5 days" when 5 is the delivery time). A
 * sentence that merges two adjacent passage sentences passes when it divides into two parts that
 * each rest on one of them. A sentence without a citation is supported by nothing.
 */
export function measureSupport(answer: string, passages: string[]): SentenceSupport[] {
  const sentences = answer
    .split(/(?<=[.!?\]])\s+(?=[\p{Lu}\p{N}"'(])/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s.replace(/\[\d+\]/g, '')));
  return sentences.map((sentence) => {
    const citations = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).filter((n) => n >= 1 && n <= passages.length);
    const body = sentence.replace(/\[\d+\]/g, ' ');
    const claim = claimOf(body);
    const cited = [...new Set(citations)].map((n) => splitUnits(passages[n - 1]).map((u) => passageSentence(n, u.text)));
    const all = cited.flat();
    const inPassages = new Set(all.flatMap((u) => [...u.numbers]));
    const unsupportedNumbers = claim.numbers.filter((n) => !inPassages.has(n));
    const best = closest(claim, all);
    const single = !!best && best.missing.length === 0 && best.overlap >= SUPPORT_THRESHOLD;
    const pair = single || unsupportedNumbers.length ? undefined : mergedSupport(body, cited);
    const supported = citations.length > 0 && (single || !!pair);
    const source = pair ? passageSentence(pair[0].passage, `${pair[0].text} ${pair[1].text}`) : best?.unit;
    const misplacedNumbers = supported ? [] : (best?.missing ?? []).filter((n) => !unsupportedNumbers.includes(n));
    const overlap = source ? fit(claim, source).overlap : 0;
    return {
      sentence,
      citations,
      ...(source ? { source: { passage: source.passage, text: source.text } } : {}),
      overlap: Math.round(overlap * 100) / 100,
      unsupportedNumbers,
      misplacedNumbers,
      supported,
      ...(supported ? {} : { reason: reasonFor(citations, unsupportedNumbers, misplacedNumbers, overlap) }),
    };
  });
}

function reasonFor(citations: number[], invented: string[], misplaced: string[], overlap: number): UnsupportedReason {
  if (citations.length === 0) return 'no_citation';
  if (invented.length) return 'invented_number';
  // The words say which fact this is, and that fact's sentence has other numbers.
  if (misplaced.length && overlap >= SUPPORT_THRESHOLD) return 'misattributed_number';
  return 'words_not_in_passage';
}

/**
 * The two adjacent passage sentences a merged sentence rests on, if any: it must divide at some
 * word into two parts that each rest on one of them and say something the other does not — else
 * "returns within 5 days" would pass on "Returns within 30 days. Delivery takes 3-5 days.".
 */
function mergedSupport(body: string, cited: PassageSentence[][]): [PassageSentence, PassageSentence] | undefined {
  const all = cited.flat();
  const tokens = body.split(/\s+/).filter(Boolean);
  const splits = tokens.slice(1).map((_, i) => [claimOf(tokens.slice(0, i + 1).join(' ')), claimOf(tokens.slice(i + 1).join(' '))]);
  for (const units of cited) {
    for (let i = 0; i + 1 < units.length; i++) {
      const [a, b] = [units[i], units[i + 1]];
      const mergesThem = ([head, tail]: Claim[]) => (restsOn(head, a, b, all) && restsOn(tail, b, a, all)) || (restsOn(head, b, a, all) && restsOn(tail, a, b, all));
      if (splits.some(mergesThem)) return [a, b];
    }
  }
  return undefined;
}

/** `part` states `unit`'s numbers and words (no passage sentence matches its words better), including a word `other` lacks. */
function restsOn(part: Claim, unit: PassageSentence, other: PassageSentence, all: PassageSentence[]): boolean {
  const { overlap, missing } = fit(part, unit);
  if (missing.length || overlap < SUPPORT_THRESHOLD) return false;
  if (!part.words.some((w) => has(unit, w) && !has(other, w))) return false;
  return all.every((u) => fit(part, u).overlap <= overlap);
}

/**
 * The passage sentence that matches the claim's words best; among equals, the one missing the
 * fewest of its numbers. A sentence whose words best match one fact but whose number belongs to
 * another is exactly the mistake this check is for, so a weaker match holding the number is no help.
 */
function closest(claim: Claim, units: PassageSentence[]): Fit | undefined {
  return units
    .map((u) => fit(claim, u))
    .reduce<Fit | undefined>((best, f) => (!best || f.overlap > best.overlap || (f.overlap === best.overlap && f.missing.length < best.missing.length) ? f : best), undefined);
}

function fit(claim: Claim, unit: PassageSentence): Fit {
  const found = claim.words.filter((w) => has(unit, w)).length;
  return { unit, overlap: claim.words.length ? found / claim.words.length : 1, missing: claim.numbers.filter((n) => !unit.numbers.has(n)) };
}

function has(unit: PassageSentence, word: string): boolean {
  return unit.terms.some((t) => sameWord(word, t));
}

function claimOf(text: string): Claim {
  const words = questionTerms(text).filter((w) => !/^\d+$/.test(w) && !NUMBER_WORDS.has(w));
  // In the answer "one" is as often a pronoun ("one of our team") as a number; a passage's "one"
  // ("one or two days") may still back the answer's "1".
  return { words, numbers: [...new Set(numbersIn(text, false))] };
}

function passageSentence(passage: number, text: string): PassageSentence {
  return { passage, text, terms: questionTerms(text), numbers: new Set(numbersIn(text, true)) };
}

/**
 * Numbers as values, so the same figure compares equal however it is written: "£4.95" and "4.95",
 * "30-day" and "30", "5.00" and "5", "1,000" and "1000", "4,95" (a decimal comma) and "4.95",
 * "thirty" and "30".
 */
function numbersIn(text: string, countOne: boolean): string[] {
  const figures = (text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((raw) => {
    const plain = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(raw) ? raw.replace(/,/g, '') : raw.replace(',', '.');
    const value = Number(plain);
    return Number.isFinite(value) ? String(value) : raw;
  });
  const spelled = (text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => NUMBER_WORDS.has(w) && (countOne || w !== 'one')).map((w) => String(NUMBER_WORDS.get(w)));
  return [...figures, ...spelled];
}
