import type { MessagePart } from '@cs/contracts';

export interface ReplyContent {
  parts: MessagePart[];
  /** The customer's name as their mail client sent it; the greeting uses the first word. */
  recipientName?: string | null;
  /** Who signs: a person's name when a person answered from the console. */
  authorName?: string | null;
  signature: string;
  /** The customer's message being answered, quoted under the reply as mail clients do. */
  quoted?: { text: string; from: string; date: Date | null } | null;
}

const GREETING_ALREADY = /^\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|hallo|bonjour|hola)\b/i;

/** The answer formatted for email: greeting, answer, source links, signature, quoted question. */
export function composeReply(content: ReplyContent): { text: string; html: string } {
  const answer = content.parts
    .filter((p): p is Extract<MessagePart, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text.trim())
    .filter(Boolean)
    .join('\n\n');
  // A link the answer already spells out is not listed a second time.
  const sources = content.parts
    .filter((p): p is Extract<MessagePart, { type: 'source' }> => p.type === 'source')
    .filter((s) => !(s.url && answer.includes(s.url)));
  const choices = content.parts.flatMap((p) => (p.type === 'actions' ? p.actions.map((a) => a.label) : []));
  const firstName = content.recipientName?.trim().split(/\s+/)[0]?.replace(/[^\p{L}\p{M}'-]/gu, '');
  const greeting = GREETING_ALREADY.test(answer) ? null : firstName ? `Hello ${firstName},` : 'Hello,';
  const signature = [content.authorName?.trim(), content.signature.trim()].filter(Boolean).join('\n');

  const text: string[] = [];
  if (greeting) text.push(greeting);
  text.push(answer);
  if (choices.length) text.push(`You can reply with one of: ${choices.join(' / ')}`);
  if (sources.length) text.push(['More on this:', ...sources.map((s) => `- ${s.title}${s.url ? `: ${s.url}` : ''}`)].join('\n'));
  text.push(`-- \n${signature}`);
  if (content.quoted?.text) text.push(`${quoteHeader(content.quoted)}\n${quoteLines(content.quoted.text)}`);

  const html: string[] = [];
  if (greeting) html.push(`<p>${escapeHtml(greeting)}</p>`);
  html.push(...answer.split(/\n{2,}/).map((para) => `<p>${linkify(escapeHtml(para)).replace(/\n/g, '<br>')}</p>`));
  if (choices.length) html.push(`<p>You can reply with one of: ${choices.map(escapeHtml).join(' / ')}</p>`);
  if (sources.length) {
    const items = sources.map((s) =>
      s.url ? `<li><a href="${escapeHtml(s.url)}">${escapeHtml(s.title)}</a></li>` : `<li>${escapeHtml(s.title)}</li>`,
    );
    html.push(`<p>More on this:</p><ul>${items.join('')}</ul>`);
  }
  html.push(`<p style="color:#555">${escapeHtml(signature).replace(/\n/g, '<br>')}</p>`);
  if (content.quoted?.text) {
    html.push(
      `<p>${escapeHtml(quoteHeader(content.quoted))}</p><blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">${escapeHtml(content.quoted.text).replace(/\n/g, '<br>')}</blockquote>`,
    );
  }
  return {
    text: text.join('\n\n') + '\n',
    html: `<!doctype html><html><body style="font-family:sans-serif;font-size:14px">${html.join('\n')}</body></html>`,
  };
}

function quoteHeader(q: { from: string; date: Date | null }): string {
  return q.date ? `On ${q.date.toUTCString()}, ${q.from} wrote:` : `${q.from} wrote:`;
}

function quoteLines(text: string): string {
  return text.split('\n').slice(0, 60).map((l) => (l ? `> ${l}` : '>')).join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function linkify(escaped: string): string {
  return escaped.replace(/\bhttps?:\/\/[^\s<]+[^\s<.,;:!?)]/g, (url) => `<a href="${url}">${url}</a>`);
}
