import { fillTemplate, REPLY_LANGUAGES, type MessagePart } from '@cs/contracts';
import { EMAIL_WORDING, emailWording, type EmailWording } from './email.wording';

export interface ReplyContent {
  parts: MessagePart[];
  /** The customer's name as their mail client sent it; the greeting uses the first word. */
  recipientName?: string | null;
  /** Who signs: a person's name when a person answered from the console. */
  authorName?: string | null;
  signature: string;
  /** The customer's message being answered, quoted under the reply as mail clients do. */
  quoted?: { text: string; from: string; date: Date | null } | null;
  /** ISO 639-1 language of the reply, for our own wording around it; English when unset or unknown. */
  language?: string | null;
}

/** An answer opening with a greeting in any of our languages (after a Spanish `¡`) is not greeted again. */
const GREETING_ALREADY = new RegExp(
  `^[\\s¡]*(?:${[...new Set(REPLY_LANGUAGES.flatMap((l) => EMAIL_WORDING[l].greetingWords))]
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|')})(?![\\p{L}\\p{M}])`,
  'iu',
);

/** The answer formatted for email: greeting, answer, source links, signature, quoted question. */
export function composeReply(content: ReplyContent): { text: string; html: string } {
  const wording = emailWording(content.language);
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
  const greeting = GREETING_ALREADY.test(answer) ? null : firstName ? fillTemplate(wording.greeting, { name: firstName }) : wording.greetingNoName;
  const signature = [content.authorName?.trim(), content.signature.trim()].filter(Boolean).join('\n');

  const text: string[] = [];
  if (greeting) text.push(greeting);
  text.push(answer);
  if (choices.length) text.push(`${wording.choices} ${choices.join(' / ')}`);
  if (sources.length) text.push([wording.sources, ...sources.map((s) => `- ${s.title}${s.url ? `: ${s.url}` : ''}`)].join('\n'));
  text.push(`-- \n${signature}`);
  if (content.quoted?.text) text.push(`${quoteHeader(content.quoted, wording)}\n${quoteLines(content.quoted.text)}`);

  const html: string[] = [];
  if (greeting) html.push(`<p>${escapeHtml(greeting)}</p>`);
  html.push(...answer.split(/\n{2,}/).map((para) => `<p>${linkify(escapeHtml(para)).replace(/\n/g, '<br>')}</p>`));
  if (choices.length) html.push(`<p>${escapeHtml(wording.choices)} ${choices.map(escapeHtml).join(' / ')}</p>`);
  if (sources.length) {
    const items = sources.map((s) =>
      s.url ? `<li><a href="${escapeHtml(s.url)}">${escapeHtml(s.title)}</a></li>` : `<li>${escapeHtml(s.title)}</li>`,
    );
    html.push(`<p>${escapeHtml(wording.sources)}</p><ul>${items.join('')}</ul>`);
  }
  html.push(`<p style="color:#555">${escapeHtml(signature).replace(/\n/g, '<br>')}</p>`);
  if (content.quoted?.text) {
    html.push(
      `<p>${escapeHtml(quoteHeader(content.quoted, wording))}</p><blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">${escapeHtml(content.quoted.text).replace(/\n/g, '<br>')}</blockquote>`,
    );
  }
  return {
    text: text.join('\n\n') + '\n',
    html: `<!doctype html><html><body style="font-family:sans-serif;font-size:14px">${html.join('\n')}</body></html>`,
  };
}

/** The date in UTC, said so: the customer's time zone is not known. */
function quoteHeader(q: { from: string; date: Date | null }, wording: EmailWording): string {
  if (!q.date) return fillTemplate(wording.quoteHeaderUndated, { from: q.from });
  const date = q.date.toLocaleString(wording.locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
  return fillTemplate(wording.quoteHeader, { date, from: q.from });
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
