/*
 * The answer when no language model is configured: sentences taken verbatim from the best
 * passage, chosen by the question's words they contain (each weighed by how rare it is in the
 * passage: a word every sentence shares does not tell them apart), in their original order. It
 * never writes a sentence of its own, so it cannot state anything the knowledge base does not.
 */
import { questionTerms, sameWord, splitUnits, words, type Unit } from '../text/sentences';

/** The passage sentences that best answer `question`, at most `maxChars` long. */
export function extractAnswer(question: string, content: string, maxChars: number, targetChars = 500): string {
  const query = questionTerms(question);
  const units: Unit[] = splitUnits(content).map((u) => ({ ...u, terms: new Set(words(u.text)) }));
  if (units.length === 0) return '';
  const has = (u: Unit, q: string) => [...u.terms].some((t) => sameWord(q, t));
  const weight = new Map(query.map((q) => [q, Math.log(1 + units.length / Math.max(1, units.filter((u) => has(u, q)).length))]));
  const score = (u: Unit) => query.reduce((sum, q) => sum + (has(u, q) ? weight.get(q)! : 0), 0);
  // A sentence that asks answers nothing: a passage that only lists questions ("When does the sale
  // start?, When do codes expire?") names the topic and leaves the answer out, and so does one
  // whose question's words are only in its questions.
  const asks = (u: Unit) => /\?["')\]]*$/.test(u.text);
  const answers = units.map((u, i) => i).filter((i) => !asks(units[i]));
  if (answers.length === 0) return '';
  let best = answers[0];
  for (const i of answers) if (score(units[i]) > score(units[best]) + 1e-9) best = i;
  if (score(units[best]) === 0 && units.some((u) => asks(u) && score(u) > 0)) return '';

  // A paragraph is the knowledge base's own unit of meaning, and a paragraph with the list right
  // after it ("Find out the membership level" / "- Gold members have the fee waived") is a rule and
  // its cases: when the best sentence's rule-with-cases fits, it is the answer (from either end: the
  // best sentence may be a case, "3 out of 7" needs its items, an item its rule), else its paragraph.
  // Otherwise start at the best sentence and carry on while it fits; a sentence introducing a list
  // ("You can pay with:") is nothing without the items that follow.
  const budget = Math.min(maxChars, Math.max(targetChars, units[best].text.length));
  const size = (us: Unit[]) => us.reduce((n, u) => n + u.text.length + 3, 0);
  const inParagraph = (p: number) => units.filter((u) => u.paragraph === p);
  const isList = (us: Unit[]) => us.length > 0 && us.every((u) => u.listItem);
  const paragraph = inParagraph(units[best].paragraph);
  const before = inParagraph(units[best].paragraph - 1);
  const after = inParagraph(units[best].paragraph + 1);
  const ruleWithCases = isList(paragraph) && before.length && !isList(before) ? [...before, ...paragraph] : !isList(paragraph) && isList(after) ? [...paragraph, ...after] : paragraph;
  let chosen: Unit[] = [];
  if (size(ruleWithCases) <= budget) {
    chosen = ruleWithCases;
  } else if (size(paragraph) <= budget) {
    chosen = paragraph;
  } else {
    chosen = [units[best]];
    let length = units[best].text.length;
    for (let i = best + 1; i < units.length; i++) {
      const next = units[i];
      const sameBlock = next.paragraph === units[best].paragraph || (units[best].text.endsWith(':') && next.listItem);
      if (!sameBlock || length + next.text.length + 3 > budget) break;
      chosen.push(next);
      length += next.text.length + 3;
    }
  }
  const text = chosen.some((u) => u.listItem) ? chosen.map((u) => (u.listItem ? `- ${u.text}` : u.text)).join('\n') : chosen.map((u) => u.text).join(' ');
  return cut(text, maxChars);
}

/** Shorten at a word boundary, marking the cut. */
export function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const slice = text.slice(0, Math.max(0, maxChars - 1));
  const space = slice.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? slice.slice(0, space) : slice).replace(/[\s,;:.-]+$/, '')}…`;
}
