import { escapeHtml } from './markdown';

/** Pages are static text plus escaped values; the CSP is a second fence around the article HTML. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'self'";

/** The demo shop page's: its widget also shows the customer's pictures (a preview from memory, then signed links to the file store). */
export function demoPageCsp(fileOrigin: string | null): string {
  return PAGE_CSP.replace("img-src 'self' data:", `img-src 'self' data: blob:${fileOrigin ? ` ${fileOrigin}` : ''}`);
}

const STYLE = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328;background:#fafafa}
header{background:#111827;color:#fff;padding:16px 24px}header a{color:#fff;text-decoration:none;font-weight:700;font-size:20px}
main{max-width:860px;margin:0 auto;padding:24px}
.products{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:16px}
.product{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:16px}
.product .price{color:#2563eb;font-weight:600}
article{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:8px 24px 24px}
footer{max-width:860px;margin:0 auto;padding:24px;font-size:14px;color:#57606a}
a{color:#0969da}`;

export function layout(title: string, siteName: string, body: string, tail = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="/">${escapeHtml(siteName)}</a></header>
<main>
${body}
</main>
<footer><a href="/kb">Help center</a></footer>
${tail}
</body>
</html>`;
}

const PRODUCTS = [
  { name: 'Everyday Tee', price: '£19' },
  { name: 'Trail Runner Shoes', price: '£89' },
  { name: 'Rain Shell Jacket', price: '£129' },
  { name: 'Merino Socks (3 pairs)', price: '£24' },
  { name: 'Canvas Backpack', price: '£59' },
  { name: 'Wool Beanie', price: '£22' },
];

export function demoPage(siteName: string, widgetKey: string | null): string {
  const products = PRODUCTS.map(
    (p) => `<div class="product"><div>${escapeHtml(p.name)}</div><div class="price">${escapeHtml(p.price)}</div></div>`,
  ).join('\n');
  const body = `<h1>Welcome to ${escapeHtml(siteName)}</h1>
<p>Questions about delivery, returns, sizes or payment? Ask in the chat at the bottom right.</p>
<div class="products">${products}</div>
${widgetKey ? '' : '<p><strong>The chat is not set up:</strong> start with <code>SEED_DEMO=true</code> to create the demo tenant.</p>'}`;
  const tail = widgetKey ? `<script src="/widget.js" data-key="${escapeHtml(widgetKey)}" data-title="${escapeHtml(siteName)} support" data-open="true" async></script>` : '';
  return layout(siteName, siteName, body, tail);
}

export function articlePage(siteName: string, title: string, bodyHtml: string): string {
  return layout(`${title} · ${siteName}`, siteName, `<article><h1>${escapeHtml(title)}</h1>\n${bodyHtml}</article>`);
}

export function articleIndexPage(siteName: string, articles: { slug: string; title: string }[]): string {
  const items = articles
    .map((a) => `<li><a href="/kb/${encodeURIComponent(a.slug)}">${escapeHtml(a.title)}</a></li>`)
    .join('\n');
  return layout(`Help center · ${siteName}`, siteName, `<h1>Help center</h1><ul>${items}</ul>`);
}

export function notFoundPage(siteName: string, what: string): string {
  return layout('Not found', siteName, `<h1>Not found</h1><p>${escapeHtml(what)}</p><p><a href="/kb">All articles</a></p>`);
}
