/**
 * A bigram language model in ARPA format, built from the shop's own words (its knowledge base and
 * the questions callers ask). pocketsphinx's general English model mishears a phone line badly;
 * one that expects "delivery", "refund" and "order number" does much better, and needs no download.
 */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? []).filter(Boolean);
}

/** Sentences of a text (one per line or per full stop), as word lists. */
export function sentencesOf(text: string): string[][] {
  return text
    .split(/[.!?\n]+/)
    .map(words)
    .filter((w) => w.length > 0);
}

const DISCOUNT = 0.5;

/** Absolute-discount bigrams backing off to unigrams; words the dictionary lacks are left out. */
export function buildArpa(sentences: string[][], known: (word: string) => boolean): { arpa: string; vocabulary: string[] } {
  const uni = new Map<string, number>();
  const bi = new Map<string, Map<string, number>>();
  const add = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const sentence of sentences) {
    const tokens = ['<s>', ...sentence.filter(known), '</s>'];
    if (tokens.length === 2) continue;
    tokens.forEach((t) => add(uni, t));
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (!bi.has(tokens[i])) bi.set(tokens[i], new Map());
      add(bi.get(tokens[i])!, tokens[i + 1]);
    }
  }
  const total = [...uni.entries()].filter(([w]) => w !== '<s>').reduce((n, [, c]) => n + c, 0);
  const pUni = (w: string) => (w === '<s>' ? 0 : (uni.get(w) ?? 0) / total);
  const log = (p: number) => (p > 0 ? Math.log10(p) : -99).toFixed(4);

  const unigramLines: string[] = [];
  const bigramLines: string[] = [];
  for (const [w] of uni) {
    const followers = bi.get(w);
    let bow = 0;
    if (followers) {
      const count = [...followers.values()].reduce((n, c) => n + c, 0);
      const left = (DISCOUNT * followers.size) / count;
      const seenMass = [...followers.keys()].reduce((n, f) => n + pUni(f), 0);
      bow = left / Math.max(1e-6, 1 - seenMass);
      for (const [f, c] of followers) bigramLines.push(`${log((c - DISCOUNT) / count)} ${w} ${f}`);
    }
    unigramLines.push(w === '</s>' ? `${log(pUni(w))} ${w}` : `${log(pUni(w))} ${w} ${log(bow || 1)}`);
  }
  const arpa = [
    '\\data\\',
    `ngram 1=${unigramLines.length}`,
    `ngram 2=${bigramLines.length}`,
    '',
    '\\1-grams:',
    ...unigramLines,
    '',
    '\\2-grams:',
    ...bigramLines,
    '',
    '\\end\\',
    '',
  ].join('\n');
  return { arpa, vocabulary: [...uni.keys()].filter((w) => w !== '<s>' && w !== '</s>') };
}

/** What callers of a shop say, besides the shop's own article words. Written for this product. */
export const CALLER_PHRASES = [
  'hello',
  'hi there',
  'good morning',
  'yes',
  'yes please',
  'no',
  'no thanks',
  'thank you',
  'thanks bye',
  'that is all',
  'where is my order',
  'where is my parcel',
  'when will my order arrive',
  'how long does delivery take',
  'how much is shipping',
  'do you ship abroad',
  'can i return an item',
  'how do i return my order',
  'i want a refund',
  'when will i get my refund',
  'can i change my order',
  'can i cancel my order',
  'what are your opening hours',
  'what payment methods do you accept',
  'my payment failed',
  'i forgot my password',
  'what size should i order',
  'is there a warranty',
  'can i speak to a person',
  'i want to talk to someone',
  'put me through to an agent',
  'please text me the link',
  'my order number is',
];
