import { chunkMarkdown } from './chunker';
import { loadArticles } from './seed/demo-articles';

const ARTICLE = `# Returns

You can return most items within 30 days of delivery for a full refund, as long as they are unworn and have their tags.

## How to return an item

1. Open the order under My orders.
2. Choose Return items and print the label.

## Items that cannot be returned

Earrings and swimwear with the hygiene seal removed cannot be returned. Personalised items cannot be returned either.
`;

describe('the markdown chunker', () => {
  it('cuts an article at its headings and keeps the heading path with every chunk', () => {
    const chunks = chunkMarkdown(ARTICLE);

    expect(chunks.map((c) => c.heading)).toEqual(['Returns', 'Returns › How to return an item', 'Returns › Items that cannot be returned']);
    expect(chunks[1].content).toBe('1. Open the order under My orders.\n2. Choose Return items and print the label.');
    expect(chunks.map((c) => c.ordinal)).toEqual([0, 1, 2]);
  });

  it('packs short paragraphs of one section together and splits long ones between sentences', () => {
    const sentence = 'Standard delivery takes three to five working days within the country. ';
    const markdown = `# Delivery\n\nShort one.\n\nShort two.\n\n${sentence.repeat(25)}`;

    const chunks = chunkMarkdown(markdown, { maxChars: 800 });

    expect(chunks[0].content.startsWith('Short one.\n\nShort two.')).toBe(true);
    for (const chunk of chunks) expect(chunk.content.length).toBeLessThanOrEqual(800);
    expect(chunks.every((c) => c.content.trim().endsWith('.'))).toBe(true);
    expect(chunks.map((c) => c.content).join(' ').split('Standard delivery').length - 1).toBe(25);
  });

  it('gives a changed chunk a new hash and an unchanged one the same hash', () => {
    const before = chunkMarkdown(ARTICLE);
    const after = chunkMarkdown(ARTICLE.replace('Personalised items', 'Custom items'));

    expect(after[0].contentHash).toBe(before[0].contentHash);
    expect(after[2].contentHash).not.toBe(before[2].contentHash);
  });

  it('ignores headings inside code fences', () => {
    const chunks = chunkMarkdown('# Setup\n\nRun this:\n\n```\n# not a heading\n```\n');

    expect(chunks).toHaveLength(1);
    expect(chunks[0].content).toContain('# not a heading');
  });

  it('cuts the demo knowledge base into passages of a readable size', () => {
    const articles = loadArticles();
    const chunks = articles.flatMap((a) => chunkMarkdown(a.body));

    expect(articles).toHaveLength(20);
    expect(new Set(articles.map((a) => a.meta.slug)).size).toBe(20);
    for (const chunk of chunks) {
      expect(chunk.content.length).toBeGreaterThanOrEqual(40);
      expect(chunk.content.length).toBeLessThanOrEqual(800);
    }
  });
});
