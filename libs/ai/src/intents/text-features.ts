/**
 * Lexical features for the intent classifier: TF-IDF over word 1-2-grams and character 3-5-grams
 * (inside word boundaries), hashed to 32-bit ids so the model stores numbers, not strings. Only
 * buckets seen in training get a weight; everything else is dropped at transform time.
 */

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface LexicalVectorizerState {
  buckets: number[];
  idf: number[];
  /** 0 = word n-gram, 1 = char n-gram, per compact index. */
  blocks: number[];
  wordWeight: number;
  charWeight: number;
}

/** Lowercase, strip accents, fold digits to 0 so "#48213" and "#10077" look alike. */
export function normalizeForFeatures(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[0-9]/g, '0');
}

export function wordTokens(normalized: string): string[] {
  return normalized.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
}

/** FNV-1a, 32 bit. Deterministic across runs and machines, which serialized models rely on. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const WORD_SEED = 0x811c9dc5;
const CHAR_SEED = 0x9e3779b1;

/** Raw term counts by hashed id, split into the word and the character block. */
export function countTerms(text: string): { words: Map<number, number>; chars: Map<number, number> } {
  const tokens = wordTokens(normalizeForFeatures(text));
  const words = new Map<number, number>();
  const chars = new Map<number, number>();
  const add = (m: Map<number, number>, h: number) => m.set(h, (m.get(h) ?? 0) + 1);
  for (let i = 0; i < tokens.length; i++) {
    add(words, fnv1a(tokens[i], WORD_SEED));
    if (i > 0) add(words, fnv1a(`${tokens[i - 1]} ${tokens[i]}`, WORD_SEED));
    const padded = ` ${tokens[i]} `;
    for (let n = 3; n <= 5; n++) {
      for (let s = 0; s + n <= padded.length; s++) add(chars, fnv1a(padded.slice(s, s + n), CHAR_SEED));
    }
  }
  return { words, chars };
}

export class LexicalVectorizer {
  private constructor(
    private readonly index: Map<number, number>,
    private readonly idf: Float32Array,
    private readonly blocks: Uint8Array,
    private readonly wordWeight: number,
    private readonly charWeight: number,
  ) {}

  get size(): number {
    return this.idf.length;
  }

  /** Smooth IDF as in scikit-learn: ln((1 + n) / (1 + df)) + 1. */
  static fit(texts: string[], wordWeight = 1, charWeight = 1): LexicalVectorizer {
    const df = new Map<number, number>();
    const block = new Map<number, number>();
    for (const text of texts) {
      const { words, chars } = countTerms(text);
      for (const h of words.keys()) {
        df.set(h, (df.get(h) ?? 0) + 1);
        block.set(h, 0);
      }
      // Char and word hashes share a 32-bit space; a collision just merges two rare features.
      for (const h of chars.keys()) {
        df.set(h, (df.get(h) ?? 0) + 1);
        if (!block.has(h)) block.set(h, 1);
      }
    }
    const index = new Map<number, number>();
    const idf = new Float32Array(df.size);
    const blocks = new Uint8Array(df.size);
    let i = 0;
    for (const [h, count] of df) {
      index.set(h, i);
      idf[i] = Math.log((1 + texts.length) / (1 + count)) + 1;
      blocks[i] = block.get(h) ?? 1;
      i++;
    }
    return new LexicalVectorizer(index, idf, blocks, wordWeight, charWeight);
  }

  static restore(state: LexicalVectorizerState): LexicalVectorizer {
    const index = new Map<number, number>();
    state.buckets.forEach((h, i) => index.set(h, i));
    return new LexicalVectorizer(index, Float32Array.from(state.idf), Uint8Array.from(state.blocks), state.wordWeight, state.charWeight);
  }

  state(): LexicalVectorizerState {
    const buckets = new Array<number>(this.idf.length);
    for (const [h, i] of this.index) buckets[i] = h;
    return { buckets, idf: Array.from(this.idf), blocks: Array.from(this.blocks), wordWeight: this.wordWeight, charWeight: this.charWeight };
  }

  /** Sublinear TF x IDF, each block L2-normalized then scaled by its weight. */
  transform(text: string): SparseVector {
    const { words, chars } = countTerms(text);
    const indices: number[] = [];
    const values: number[] = [];
    for (const [counts, weight] of [
      [words, this.wordWeight],
      [chars, this.charWeight],
    ] as const) {
      const start = indices.length;
      let norm = 0;
      for (const [h, tf] of counts) {
        const i = this.index.get(h);
        if (i === undefined) continue;
        const v = (1 + Math.log(tf)) * this.idf[i];
        indices.push(i);
        values.push(v);
        norm += v * v;
      }
      const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
      for (let k = start; k < values.length; k++) values[k] *= scale;
    }
    return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
  }
}
