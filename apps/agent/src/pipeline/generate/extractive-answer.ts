/*
 * The answer when no language model is configured: sentences taken verbatim from the best
 * passage, chosen by how many of the question's words they contain, in their original order. It
 * never writes a sentence of its own, so it cannot state anything the knowledge base does not.
 */
import { questionTerms, sameWord, splitUnits, words, type Unit } from '../text/sentences';

/** The passage sentences that best answer `question`, at most `maxChars` long. */
export function extractAnswer(question: string, content: string, maxChars: number, targetChars = 500): string {
  const query = questionTerms(question);
  const units: Unit[] = splitUnits(content).map((u) => ({ ...u, terms: new Set(words(u.text)) }));
  if (units.length === 0) return '';
  const score = (u: Unit) => query.filter((q) => [...u.terms].some((t) => sameWord(q, t))).length;
  let best = 0;
  units.forEach((u, i) => {
    if (score(u) > score(units[best])) best = i;
  });

  // A paragraph is the knowledge base's own unit of meaning: when the best sentence's paragraph
  // fits, it is the answer. Otherwise start at the best sentence and carry on while it fits; a
  // sentence introducing a list ("You can pay with:") is nothing without the items that follow.
  const budget = Math.min(maxChars, Math.max(targetChars, units[best].text.length));
  const paragraph = units.filter((u) => u.paragraph === units[best].paragraph);
  let chosen: Unit[] = [];
  if (paragraph.reduce((n, u) => n + u.text.length + 3, 0) <= budget) {
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
