import { csvRecords, htmlToMarkdown, parseImportFile } from './article-parsers';

describe('reading knowledge files for import', () => {
  it('cleans NUL, control characters and lone surrogates out of a file, raw or spelled as JSON escapes', () => {
    expect(parseImportFile('nul.md', '# Re\u0000turns\n\nThirty\u0007 days.\n')[0]).toMatchObject({ title: 'Returns', body: expect.stringContaining('Thirty days.') });
    const json = '[{"title":"Gift\\u0000 cards","body":"Valid \\ud800 a year."}]';
    expect(parseImportFile('cards.json', json)[0]).toMatchObject({ title: 'Gift cards', body: 'Valid \ufffd a year.' });
  });

  it('takes title, slug and tags from Markdown front matter, or the title from the first heading', () => {
    expect(parseImportFile('returns.md', '---\ntitle: Returns\nslug: returns-policy\ntags: [orders]\n---\n# Returns\n\nThirty days.\n')).toEqual([
      { title: 'Returns', slug: 'returns-policy', tags: ['orders'], language: 'en', body: '# Returns\n\nThirty days.\n' },
    ]);
    expect(parseImportFile('gift-cards.md', 'Intro line\n\n# Gift cards\n\nValid a year.')[0].title).toBe('Gift cards');
    expect(parseImportFile('gift-cards.md', 'No heading here.')[0].title).toBe('Gift cards');
  });

  it('turns HTML into Markdown that keeps headings, lists and links, and drops scripts', () => {
    const html = `<html><head><title>Shipping &amp; delivery</title><style>p{}</style></head><body>
      <h1>Shipping</h1><p>We ship <b>worldwide</b>.</p><script>alert(1)</script>
      <h2>Costs</h2><ul><li>EU: 5&nbsp;€</li><li>Rest: 15 €</li></ul><p>See <a href="https://shop.test/rates">rates</a>.</p></body></html>`;
    const [article] = parseImportFile('shipping.html', html);
    expect(article.title).toBe('Shipping & delivery');
    expect(article.body).toBe('# Shipping\n\nWe ship worldwide.\n\n## Costs\n\n- EU: 5 €\n- Rest: 15 €\n\nSee [rates](https://shop.test/rates).\n');
    expect(htmlToMarkdown('<p>a</p>')).toBe('a\n');
  });

  it('reads CSV with quoted commas, quotes and line breaks, one article per row', () => {
    const csv = 'title,body,tags\r\n"Sizes, fit","Runs small.\nOrder one size up. Say ""hi"".",sizing;fit\r\nCare,Wash cold.,\r\n';
    expect(csvRecords(csv)).toEqual([
      { title: 'Sizes, fit', body: 'Runs small.\nOrder one size up. Say "hi".', tags: 'sizing;fit' },
      { title: 'Care', body: 'Wash cold.', tags: '' },
    ]);
    expect(parseImportFile('faq.csv', csv).map((a) => [a.title, a.tags])).toEqual([
      ['Sizes, fit', ['sizing', 'fit']],
      ['Care', []],
    ]);
  });

  it('reads a JSON array or a single object, and says which record is wrong', () => {
    expect(parseImportFile('kb.json', JSON.stringify([{ title: 'A', body: 'a' }, { title: 'B', body: 'b', tags: ['x'] }]))).toHaveLength(2);
    expect(parseImportFile('one.json', JSON.stringify({ title: 'A', body: 'a' }))).toHaveLength(1);
    expect(() => parseImportFile('kb.json', JSON.stringify([{ title: 'A', body: 'a' }, { title: 'B' }]))).toThrow(/record 2: body/);
  });

  it('refuses file types it cannot read', () => {
    expect(() => parseImportFile('manual.pdf', '%PDF')).toThrow(/unsupported file type/);
  });
});
