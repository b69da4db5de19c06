import { buildArpa, sentencesOf, words } from './language-model';

describe('the language model built from the shop’s words', () => {
  it('splits text into lower-case words and sentences', () => {
    expect(words("Where's my Order #123?")).toEqual(["where's", 'my', 'order']);
    expect(sentencesOf('Delivery takes 2 days. Returns are free!\nCall us')).toEqual([['delivery', 'takes', 'days'], ['returns', 'are', 'free'], ['call', 'us']]);
  });

  it('writes an ARPA bigram model of the known words, with sentence marks', () => {
    const { arpa, vocabulary } = buildArpa([['where', 'is', 'my', 'order'], ['where', 'is', 'my', 'zzqx']], (w) => w !== 'zzqx');
    expect(vocabulary.sort()).toEqual(['is', 'my', 'order', 'where']);
    expect(arpa).toMatch(/^\\data\\\nngram 1=6\nngram 2=6\n/);
    expect(arpa).toMatch(/\n-?\d+\.\d{4} <s> where\n/);
    expect(arpa).toMatch(/\n-?\d+\.\d{4} my <\/s>\n/);
    expect(arpa).not.toContain('zzqx');
    expect(arpa.trim().endsWith('\\end\\')).toBe(true);
  });

  it('gives a word seen after another a higher probability than the rest', () => {
    const { arpa } = buildArpa([['track', 'order'], ['track', 'order'], ['track', 'parcel']], () => true);
    const prob = (a: string, b: string) => Number(arpa.split('\n').find((l) => l.endsWith(` ${a} ${b}`))!.split(' ')[0]);
    expect(prob('track', 'order')).toBeGreaterThan(prob('track', 'parcel'));
  });
});
