import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders headings, paragraphs, lists, emphasis and links', () => {
    const html = renderMarkdown('# Delivery\n\nMost orders arrive in **3-5 days**.\n\n- Standard\n- *Express*\n\nSee [returns](/kb/returns).');
    expect(html).toContain('<h2>Delivery</h2>');
    expect(html).toContain('<p>Most orders arrive in <strong>3-5 days</strong>.</p>');
    expect(html).toContain('<ul><li>Standard</li><li><em>Express</em></li></ul>');
    expect(html).toContain('<a href="/kb/returns">returns</a>');
  });

  it('escapes HTML written in an article instead of rendering it', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('drops javascript: and protocol-relative links but keeps their label', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) and [cdn](//evil.example/x)');
    expect(html).not.toContain('href');
    expect(html).toContain('click');
  });

  it('keeps code verbatim and escaped', () => {
    const html = renderMarkdown('Use `<b>**x**</b>`\n\n```\n<p>raw</p>\n```');
    expect(html).toContain('<code>&lt;b&gt;**x**&lt;/b&gt;</code>');
    expect(html).toContain('<pre><code>&lt;p&gt;raw&lt;/p&gt;</code></pre>');
  });
});
