/**
 * Sentiment from a small lexicon written for support conversations, with negation ("not happy"),
 * intensifiers ("really bad"), shouting (ALL CAPS, "!!!") and anger words. `angry` is what the
 * agent acts on: an angry customer is handed to a person sooner.
 */

export interface Sentiment {
  /** -1 (very negative) .. 1 (very positive). */
  score: number;
  label: 'negative' | 'neutral' | 'positive';
  angry: boolean;
}

/** Word -> valence (-4 .. 4). Stems end with `*` and match any continuation. */
const LEXICON: Record<string, number> = {
  good: 2, great: 3, excellent: 4, amazing: 4, awesome: 4, perfect: 3, love: 3, loved: 3, like: 1, happy: 3, glad: 2, pleased: 2,
  thanks: 2, thank: 2, helpful: 2, quick: 1, fast: 1, easy: 1, nice: 2, lovely: 3, wonderful: 4, fantastic: 4, brilliant: 4,
  satisfied: 2, recommend: 2, best: 3, fine: 1, works: 1, fixed: 1, resolved: 2, appreciate: 2, 'appreciated': 2, super: 3,
  bad: -2, poor: -2, terrible: -4, awful: -4, horrible: -4, worst: -4, hate: -4, hated: -4, broken: -2, broke: -2, damaged: -2,
  wrong: -2, late: -1, delayed: -1, missing: -2, lost: -2, never: -1, nothing: -1, problem: -1, issue: -1, fault: -2, faulty: -2,
  disappointed: -3, disappointing: -3, unhappy: -3, upset: -3, annoyed: -3, annoying: -3, frustrated: -3, frustrating: -3,
  useless: -3, rubbish: -3, garbage: -3, crap: -3, joke: -2, waste: -3, slow: -2, rude: -3, ignored: -3, unacceptable: -4,
  ridiculous: -3, pathetic: -4, disgusting: -4, disgrace: -4, shameful: -3, incompetent: -4, nightmare: -3, mess: -2,
  scam: -4, fraud: -4, cheated: -4, stolen: -3, liar: -4, lies: -3, lying: -3, sue: -3, lawyer: -2, refund: -1, cancel: -1,
  complaint: -2, complain: -2, angry: -4, furious: -4, livid: -4, outraged: -4, mad: -3, sick: -2, fed: -1, enough: -1,
  'damn*': -3, 'fuck*': -4, 'shit*': -4, bloody: -2, hell: -2, wtf: -4,
};

/** Words that signal anger specifically, beyond plain dissatisfaction. */
const ANGER = new Set(['angry', 'furious', 'livid', 'outraged', 'mad', 'unacceptable', 'ridiculous', 'pathetic', 'disgrace', 'disgusting', 'scam', 'fraud', 'cheated', 'liar', 'sue', 'lawyer', 'incompetent', 'wtf', 'worst']);
const NEGATORS = new Set(['not', 'no', 'never', "isn't", "wasn't", "don't", "doesn't", "didn't", "can't", "cannot", "won't", 'hardly', 'nor', 'without', "aren't", "haven't", "hasn't"]);
const INTENSIFIERS: Record<string, number> = {
  very: 1.5, really: 1.5, so: 1.4, extremely: 2, absolutely: 1.8, totally: 1.6, completely: 1.6, utterly: 2, incredibly: 1.8,
  too: 1.3, most: 1.3, such: 1.3, slightly: 0.5, somewhat: 0.6, bit: 0.6, quite: 1.2,
};

function valence(word: string): number {
  if (word in LEXICON) return LEXICON[word];
  for (const [key, v] of Object.entries(LEXICON)) if (key.endsWith('*') && word.startsWith(key.slice(0, -1))) return v;
  return 0;
}

export function analyzeSentiment(text: string): Sentiment {
  const raw = text.match(/[\p{L}']+/gu) ?? [];
  let total = 0;
  let negatives = 0;
  let angerHits = 0;
  let shouted = 0;
  for (let i = 0; i < raw.length; i++) {
    const word = raw[i].toLowerCase().replace(/n't$/, "n't");
    let v = valence(word);
    if (v === 0) continue;
    // Negation flips and weakens ("not good" is mildly bad), looking back up to three words.
    let negated = false;
    let boost = 1;
    for (let k = Math.max(0, i - 3); k < i; k++) {
      const prev = raw[k].toLowerCase();
      if (NEGATORS.has(prev) || prev.endsWith("n't")) negated = !negated;
      if (prev in INTENSIFIERS) boost *= INTENSIFIERS[prev];
    }
    if (raw[i].length > 2 && raw[i] === raw[i].toUpperCase()) {
      boost *= 1.5;
      shouted++;
    }
    v *= boost;
    if (negated) v = -v * 0.5;
    total += v;
    if (v < 0) negatives++;
    if (ANGER.has(word) && !negated) angerHits++;
  }
  const exclamations = (text.match(/!/g) ?? []).length;
  if (total < 0 && exclamations) total *= 1 + Math.min(exclamations, 3) * 0.15;
  const capsWords = raw.filter((w) => w.length > 2 && w === w.toUpperCase() && /\p{Lu}/u.test(w)).length;

  // Normalize by message length so one "bad" in a long friendly message does not dominate.
  const score = Math.max(-1, Math.min(1, total / Math.max(4, Math.sqrt(raw.length) * 3)));
  const label = score <= -0.15 ? 'negative' : score >= 0.15 ? 'positive' : 'neutral';
  const angry =
    (angerHits > 0 && total < 0) ||
    score <= -0.6 ||
    (total < 0 && negatives >= 2 && (exclamations >= 2 || capsWords >= 2 || shouted > 0));
  return { score, label, angry };
}
