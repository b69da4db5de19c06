import { LINK_LABELS, MessagePart, textOf } from '@cs/contracts';

/** A link's label left at the end once the link is taken out: the agent's (in any language) or a model's "Read more"/"See". */
const LINK_LABEL = new RegExp(
  `\\s*\\b(?:${['Read more', 'See', ...Object.values(LINK_LABELS).map((label) => label.replace(/\s*:$/, ''))].join('|')})\\s*:?\\s*$`,
  'i',
);

/** The article a reply is built from: on a phone its link stands in for its text. */
function articleLink(parts: MessagePart[]): string | undefined {
  for (const part of parts) if (part.type === 'source' && part.url) return part.url;
  return undefined;
}

/** Markdown a phone would show as literal asterisks and brackets, turned into plain text. */
export function stripMarkdown(text: string, link?: string): string {
  return text
    .replace(/```[a-z]*\n?([\s\S]*?)```/gi, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, label: string, url: string) => (url === link || label === url ? label : `${label} (${url})`))
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^(\s*)[*+]\s+/gm, '$1- ')
    .replace(/^\s*([-*_])(\s*\1){2,}\s*$/gm, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A reply as plain text for a phone (SMS, WhatsApp): the article as a link at the end rather than
 * its text, cut until `fits` says yes. When the answer is too long, whole sentences are kept first,
 * then whole words, and the link always survives the cut. `encode` rewrites the text before it is
 * measured (SMS swaps typographic characters for GSM-7 ones).
 */
export function fitPlainText(parts: MessagePart[], fits: (text: string) => boolean, encode: (text: string) => string = (t) => t): string {
  const link = articleLink(parts);
  let body = encode(stripMarkdown(textOf(parts), link));
  // The agent may already have put the link in the text ("More: <url>", its label in the customer's
  // language): it moves to the end.
  if (link) body = body.split(link).join('').replace(/\(\s*\)/g, '').replace(LINK_LABEL, '').trim();
  const suffix = link ? `${body ? '\n' : ''}${link}` : '';
  const fitsWith = (candidate: string) => fits(candidate + suffix);
  if (fitsWith(body)) return body + suffix;

  const sentences = body.match(/[^.!?\n]+(?:[.!?]+|\n|$)/g) ?? [body];
  let kept = '';
  for (const sentence of sentences) {
    if (!fitsWith(kept + sentence)) break;
    kept += sentence;
  }
  if (kept.trim()) return kept.trim() + suffix;

  // Not even one sentence fits: as many whole words as do, marked as cut.
  const words = body.split(/\s+/);
  let cut = '';
  for (const word of words) {
    const next = cut ? `${cut} ${word}` : word;
    if (!fitsWith(`${next}...`)) break;
    cut = next;
  }
  return cut ? `${cut}...${suffix}` : suffix.trim();
}
