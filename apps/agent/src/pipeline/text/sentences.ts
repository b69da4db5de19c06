/*
 * Sentences and words as the agent reads a passage or an answer: the units an extractive answer is
 * cut from, and the ones the checks hold a written answer against, must be the same.
 */

export interface Unit {
  text: string;
  paragraph: number;
  listItem: boolean;
  terms: Set<string>;
}

const STOPWORDS = new Set(
  ('a an the and or but if of to in on at by for with from as is are was were be been being do does did done have has had ' +
    'i me my we our you your it its this that these those there here what which who whom when where why how can could ' +
    'would should will shall may might must not no yes so than then too very just about into over under again any all ' +
    'some such only own same also get got please much many want need like know tell').split(' '),
);

export function questionTerms(text: string): string[] {
  return [...new Set(words(text).filter((w) => !STOPWORDS.has(w) && w.length >= 2))];
}

export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** "deliver"~"delivery", "ship"~"shipping", "refund"~"refunded": a shared prefix of up to 5 letters. */
export function sameWord(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 3) return short === long;
  return long.startsWith(short.slice(0, Math.min(5, short.length)));
}

export function splitUnits(content: string): Omit<Unit, 'terms'>[] {
  const units: Omit<Unit, 'terms'>[] = [];
  content.split(/\n\s*\n/).forEach((paragraph, p) => {
    for (const line of paragraph.split('\n')) {
      const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
      if (item) {
        units.push({ text: item[1].trim(), paragraph: p, listItem: true });
        continue;
      }
      for (const sentence of line.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}£$€"'(])/u)) {
        if (sentence.trim()) units.push({ text: sentence.trim(), paragraph: p, listItem: false });
      }
    }
  });
  return units;
}

/**
 * What a customer says before the question itself ("One more question:", "Quick question -",
 * "I have a question,"): words that match every article that mentions a question. Removed before
 * searching and weighing sentences; the message is kept whole when nothing else remains.
 */
const PREAMBLE = /^\s*(?:(?:hi|hello|hey)[,!.]?\s+)?(?:(?:i\s+(?:have|'ve\s+got|got)\s+)?(?:one\s+more|another|a\s+quick|quick|a|one|a\s+short|short|small|a\s+small)\s+question|i\s+have\s+a\s+question)\s*(?:for\s+you\s*)?[:,\-–—.!]\s*/i;

export function withoutPreamble(text: string): string {
  const rest = text.replace(PREAMBLE, '');
  return rest.trim() ? rest : text;
}
