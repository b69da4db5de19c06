/*
 * The answer when no language model is configured: sentences taken verbatim from the answering
 * passages. Each sentence is weighed by how well it answers the question — the question's words it
 * (or its section's heading) contains, each by its rarity in the knowledge base, and how close its
 * meaning is to the question's (retrieval's sentence similarity) — and kept with what belongs to it:
 * the rule a case belongs to, the cases of a rule, the sentence that finishes a condition. It never
 * writes a sentence of its own, so it cannot state anything the knowledge base does not; and it says
 * how well its best sentence answers, so the check can hand off an answer that only shares words.
 */
import { asksForAmount, statesAmount } from '../text/answer-type';
import { describesOnly, labelsTopics, restatesSituation } from '../text/restatement';
import { questionTerms, sameWord, splitUnits, words, type Unit } from '../text/sentences';

/** A passage the answer may be drawn from. */
export interface AnswerSource {
  content: string;
  /** The section's heading path: what the passage is about when a sentence does not say it. */
  heading?: string;
  /** Each sentence's (splitUnits order) calibrated similarity with the question, when retrieval measured it. */
  similarity?: number[];
  /** The passage's retrieval confidence: a sentence of a less likely passage must answer clearly better. */
  confidence?: number;
  /**
   * Retrieval found the passage by meaning alone (the question shares no word with it): its
   * sentences' words cannot vouch for it, so the passage's confidence stands in for them.
   */
  byMeaningOnly?: boolean;
}

export interface ComposedAnswer {
  text: string;
  /** Which source the answer's best sentence is from. */
  source: number;
  /**
   * How well the best sentence answers, 0..1: its words' share of the question's weight (heading
   * words count half) and its meaning's similarity, together (see `relevance`).
   */
  relevance: number;
  lexical: number;
  semantic: number | null;
  /** Another source's sentences were added for the part of the question the first did not cover. */
  second?: number;
}

/** A heading word says what a sentence is about, less surely than the sentence's own words. */
const HEADING_WEIGHT = 0.5;
/**
 * A sentence of another passage than retrieval's best wins only by answering better than half the
 * confidence gap and this much: the best passage's sentence is the answer unless another is clearly better.
 */
const CONFIDENCE_WEIGHT = 0.5;
const SWITCH_COST = 0.1;
/** Other passages within this confidence of the best are read for the answer's sentence. */
const SOURCE_MARGIN = 0.12;
/** A question that wants an amount prefers sentences that state one. */
const AMOUNT_BONUS = 0.15;
/** How much of the scale a sentence's meaning gives up when it must answer alone, without shared words. */
const PARAPHRASE_ALONE = 0.45;
/** A passage that has this share of the question's weight only inside its own questions does not answer it. */
const ASKED_ONLY = 0.3;
/**
 * A sentence this close in meaning to the question (retrieval's calibrated sentence similarity) that
 * only describes (text/restatement.ts) says what the customer said ("The checkout page keeps timing
 * out"), not what to do about it.
 */
const SAYS_THE_SAME = 0.9;
/** A second section is added when it covers at least this share of what the first left out. */
const SECOND_SECTION_COVER = 0.6;

type Scored = Unit & { source: number; index: number; lexical: number; semantic: number | null; relevance: number; score: number; missing: string[] };

/** The passage sentences that best answer `question`, at most `maxChars` long. */
export function extractAnswer(question: string, content: string, maxChars: number, targetChars = 500): string {
  return composeAnswer(question, [{ content }], maxChars, { targetChars })?.text ?? '';
}

/**
 * The answer drawn from `sources` (best passage first), with how well it answers; undefined when no
 * sentence answers (only questions, or nothing at all).
 */
export function composeAnswer(
  question: string,
  sources: AnswerSource[],
  maxChars: number,
  opts: { weights?: Record<string, number>; targetChars?: number } = {},
): ComposedAnswer | undefined {
  const targetChars = opts.targetChars ?? 500;
  const query = questionTerms(question);
  const top = sources[0]?.confidence ?? 1;
  const readable = sources.filter((s, i) => i === 0 || (s.confidence ?? 0) >= top - SOURCE_MARGIN);
  const perSource = readable.map((s) => splitUnits(s.content).map((u) => ({ ...u, terms: new Set(words(u.text)) })));
  const all = perSource.flat();
  if (all.length === 0) return undefined;
  const has = (u: Unit, q: string) => [...u.terms].some((t) => sameWord(q, t));
  const weight = termWeight(query, all, has, opts.weights);
  const total = query.reduce((sum, q) => sum + weight(q), 0);
  const wantsAmount = asksForAmount(question);

  const scored: Scored[][] = perSource.map((units, s) => {
    const heading = new Set(words(readable[s].heading ?? ''));
    return units.map((u, index) => {
      const inHeading = (q: string) => [...heading].some((t) => sameWord(q, t));
      const own = query.filter((q) => has(u, q));
      const fromHeading = query.filter((q) => !has(u, q) && inHeading(q));
      const lexical = total ? (own.reduce((n, q) => n + weight(q), 0) + HEADING_WEIGHT * fromHeading.reduce((n, q) => n + weight(q), 0)) / total : 0;
      const semantic = readable[s].similarity?.[index] ?? null;
      const { confidence = top, byMeaningOnly } = readable[s];
      const relevance = byMeaningOnly && lexical === 0 && semantic !== null ? Math.max(combine(lexical, semantic), (confidence + semantic) / 2) : combine(lexical, semantic);
      const amount = wantsAmount ? (statesAmount(u.text) ? AMOUNT_BONUS : 0) : 0;
      const prior = s === 0 ? 0 : CONFIDENCE_WEIGHT * (confidence - top) - SWITCH_COST;
      const missing = query.filter((q) => !has(u, q) && !inHeading(q));
      return { ...u, source: s, index, lexical, semantic, relevance, score: relevance + amount + prior, missing };
    });
  });

  // A sentence that asks answers nothing: a passage that only lists questions ("When does the sale
  // start?, When do codes expire?") names the topic and leaves the answer out, and so does one
  // whose question's words are only in its questions. A help page's index of questions often has no
  // question marks ("how wide is the shoe, waterproof, comes with warranty"): a line of several
  // comma-separated parts of which two or more start as a question asks too.
  const asks = (u: Unit) => /\?["')\]]*$/.test(u.text) || listsQuestions(u.text);
  // A sentence that only restates the customer's situation, or a label naming topics, says what the
  // section is about, as its heading does; the answer is what the section says about it.
  const restates = (u: Scored) => restatesSituation(u.text) || ((u.semantic ?? 0) >= SAYS_THE_SAME && describesOnly(u));
  const answers = scored.flat().filter((u) => !asks(u) && !restates(u) && !labelsTopics(u.text));
  if (answers.length === 0) return undefined;
  const best = answers.reduce((a, b) => (b.score > a.score + 1e-9 ? b : a));
  if (best.lexical === 0 && (best.semantic ?? 0) === 0 && scored.flat().some((u) => asks(u) && u.lexical > 0)) return undefined;
  // The passage has a weighty word of the question only in its own questions ("waterproof" in a
  // list of what customers ask): it names that question without answering it.
  const own = scored[best.source];
  const askedOnly = query.filter((q) => own.some((u) => asks(u) && has(u, q)) && !own.some((u) => !asks(u) && has(u, q)));
  if (total && askedOnly.reduce((n, q) => n + weight(q), 0) >= ASKED_ONLY * total) return undefined;

  const budget = Math.min(maxChars, Math.max(targetChars, best.text.length));
  let chosen = around(scored[best.source], best.index, budget);
  let second: number | undefined;
  // A question that spans two sections ("can I return it and how is the refund paid?"): the best
  // sentence of another passage that covers most of what the first block left out, when it fits.
  const left = best.missing.filter((q) => !chosen.some((u) => has(u, q)));
  const leftWeight = left.reduce((n, q) => n + weight(q), 0);
  if (left.length && leftWeight >= 0.25 * total) {
    const other = answers
      .filter((u) => u.source !== best.source)
      .map((u) => ({ u, covered: left.filter((q) => has(u, q)).reduce((n, q) => n + weight(q), 0) / leftWeight }))
      .filter((c) => c.covered >= SECOND_SECTION_COVER)
      .sort((a, b) => b.u.score - a.u.score)[0];
    if (other) {
      const extra = around(scored[other.u.source], other.u.index, budget - size(chosen));
      if (extra.length && size(chosen) + size(extra) <= maxChars) {
        // In retrieval's order: the best passage's part first.
        chosen = other.u.source < best.source ? [...extra, ...chosen] : [...chosen, ...extra];
        second = other.u.source;
      }
    }
  }
  const listed = chosen.some((u) => u.listItem);
  const text = listed ? chosen.map((u) => (u.listItem ? `- ${u.text}` : u.text)).join('\n') : chosen.map((u) => u.text).join(' ');
  return {
    text: cut(text, maxChars),
    source: sources.indexOf(readable[best.source]),
    relevance: round(best.relevance),
    lexical: round(best.lexical),
    semantic: best.semantic,
    ...(second !== undefined ? { second: sources.indexOf(readable[second]) } : {}),
  };
}

/**
 * How well a sentence answers, from its words and its meaning together: their mean, so a sentence
 * that only sounds alike ("My coupon expired" against a returns rule about receipts) or only shares a
 * rare word does not pass for an answer; or its meaning alone when that is very close (a paraphrase
 * that shares no word: "a present voucher" for "gift card"). Without similarities, its words.
 */
export function combine(lexical: number, semantic: number | null): number {
  if (semantic === null) return lexical;
  return Math.max((lexical + semantic) / 2, semantic - PARAPHRASE_ALONE);
}

/**
 * Each question word's weight: its rarity in the knowledge base when retrieval measured it (a word
 * no article uses weighs most), else its rarity among the sentences at hand (a word every sentence
 * shares does not tell them apart).
 */
function termWeight(query: string[], units: Unit[], has: (u: Unit, q: string) => boolean, weights?: Record<string, number>): (q: string) => number {
  const local = new Map(query.map((q) => [q, Math.log(1 + units.length / Math.max(1, units.filter((u) => has(u, q)).length))]));
  const known = weights ? Object.entries(weights) : [];
  if (!known.length) return (q) => local.get(q) ?? 0;
  const highest = Math.max(...known.map(([, w]) => w));
  const kb = new Map(query.map((q) => [q, known.find(([lexeme]) => sameWord(q, lexeme))?.[1] ?? highest]));
  return (q) => kb.get(q) ?? 0;
}

/**
 * The block around the best sentence. A paragraph is the knowledge base's own unit of meaning, and a
 * paragraph with the list right after it ("Find out the membership level" / "- Gold members have the
 * fee waived") is a rule and its cases: when the best sentence's rule-with-cases fits, it is the
 * answer (from either end: the best sentence may be a case, "3 out of 7" needs its items, an item
 * its rule), else its paragraph. Otherwise start at the best sentence and carry on while it fits; a
 * sentence introducing a list ("You can pay with:") is nothing without the items that follow, and a
 * condition ("If the parcel is late,") nothing without its consequence.
 */
function around(units: Unit[], best: number, budget: number): Unit[] {
  const inParagraph = (p: number) => units.filter((u) => u.paragraph === p);
  const isList = (us: Unit[]) => us.length > 0 && us.every((u) => u.listItem);
  const paragraph = inParagraph(units[best].paragraph);
  const before = inParagraph(units[best].paragraph - 1);
  const after = inParagraph(units[best].paragraph + 1);
  const ruleWithCases = isList(paragraph) && before.length && !isList(before) ? [...before, ...paragraph] : !isList(paragraph) && isList(after) ? [...paragraph, ...after] : paragraph;
  if (size(ruleWithCases) <= budget) return ruleWithCases;
  if (size(paragraph) <= budget) return paragraph;
  // An example ("For example, from size M to size L") illustrates the rule before it: that rule is the answer's start.
  const start = EXAMPLE.test(units[best].text) && best > 0 && units[best - 1].paragraph === units[best].paragraph ? best - 1 : best;
  const chosen = units.slice(start, best + 1);
  let length = size(chosen);
  for (let i = best + 1; i < units.length; i++) {
    const next = units[i];
    const sameBlock = next.paragraph === units[best].paragraph || (units[best].text.endsWith(':') && next.listItem);
    if (!sameBlock || length + next.text.length + 3 > budget) break;
    chosen.push(next);
    length += next.text.length + 3;
  }
  return chosen;
}

const QUESTION_START = /^(?:how|what|when|where|why|which|who|whom|whose|is|are|does|do|did|can|could|will|would|should|if)\b/i;

function listsQuestions(text: string): boolean {
  const parts = text.split(/,\s*/);
  return parts.length >= 3 && parts.filter((p) => QUESTION_START.test(p.trim())).length >= 2;
}

const EXAMPLE = /^(?:for example|for instance|e\.g\.|i\.e\.|ie\.|say,|such as)\b/i;

function size(us: Unit[]): number {
  return us.reduce((n, u) => n + u.text.length + 3, 0);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Shorten at a word boundary, marking the cut. */
export function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const slice = text.slice(0, Math.max(0, maxChars - 1));
  const space = slice.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? slice.slice(0, space) : slice).replace(/[\s,;:.-]+$/, '')}…`;
}
