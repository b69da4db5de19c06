import { createHash } from 'crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

export interface ParsedAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  content: Buffer;
  /** An image shown inside the HTML body (cid:) rather than attached. */
  inline: boolean;
}

/** What a delivery status notification (a bounce) says about the mail it reports on. */
export interface DeliveryReport {
  /** `failed`, `delayed`, `delivered`, ... (RFC 3464 Action); `failed` when only a mailer-daemon said so. */
  action: string;
  status: string | null;
  diagnostic: string | null;
  recipient: string | null;
  /** Message-IDs (bare) of the mail that bounced, as quoted in the report. */
  originalMessageIds: string[];
}

export interface ParsedEmail {
  /** The Message-ID without angle brackets, or null when the mail has none. */
  messageId: string | null;
  /** Message-ID, or a hash of the raw bytes for mail without one: stable across refetches. */
  externalMessageId: string;
  from: { address: string; name: string | null } | null;
  /** The first `Reply-To` address: where replies go when present (RFC 5322 §3.6.2). */
  replyTo: { address: string; name: string | null } | null;
  to: string[];
  subject: string;
  date: Date | null;
  inReplyTo: string[];
  references: string[];
  /** Lower-cased header name → unfolded raw value (first occurrence). */
  headers: Record<string, string>;
  contentType: string;
  /** The whole plain-text body (HTML converted when there is no text part). */
  text: string;
  /** The text without the quoted previous message and the signature: what the customer just wrote. */
  newText: string;
  html: string | null;
  attachments: ParsedAttachment[];
  /** Set for bounces and other delivery status notifications. */
  report: DeliveryReport | null;
}

export const stripBrackets = (id: string): string => id.trim().replace(/^<|>$/g, '').trim();

/** `<a@b> <c@d>` or an array of those → bare ids, in order, without duplicates. */
export function messageIdList(value: string | string[] | undefined | null): string[] {
  const joined = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const ids = joined.match(/<[^<>\s]+>/g)?.map(stripBrackets) ?? joined.split(/\s+/).filter((s) => s.includes('@'));
  return [...new Set(ids.filter(Boolean))];
}

/** Parses raw RFC 5322 bytes. Tolerant of malformed input; throws only when mailparser itself gives up. */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, maxHtmlLengthToParse: 2_000_000 });
  const headers = headerMap(mail);
  const messageId = mail.messageId ? stripBrackets(mail.messageId) || null : null;
  const from = firstAddress(mail.from);
  const html = typeof mail.html === 'string' ? mail.html : null;
  // mailparser derives text from a lone HTML part, but not from one inside multipart/related.
  const text = (mail.text?.trim() ? mail.text : html ? htmlToText(html) : '').replace(/\r\n/g, '\n').trim();
  const attachments = (mail.attachments ?? []).map((a) => ({
    filename: a.filename ?? null,
    contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
    size: a.size ?? a.content?.length ?? 0,
    content: a.content ?? Buffer.alloc(0),
    inline: a.contentDisposition === 'inline' && Boolean(a.contentId) && a.contentType.startsWith('image/'),
  }));
  const contentType = (headers['content-type'] ?? 'text/plain').toLowerCase();
  return {
    messageId,
    externalMessageId: messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`,
    from,
    replyTo: firstAddress(mail.replyTo),
    to: addresses(mail.to),
    subject: (mail.subject ?? '').trim(),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    inReplyTo: messageIdList(mail.inReplyTo),
    references: messageIdList(mail.references),
    headers,
    contentType,
    text,
    newText: stripQuotedReply(text),
    html,
    attachments,
    report: deliveryReport(raw, contentType, from, attachments, messageId),
  };
}

function headerMap(mail: ParsedMail): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, line } of mail.headerLines ?? []) {
    if (key in out) continue;
    const colon = line.indexOf(':');
    out[key] = (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim();
  }
  return out;
}

function addressList(value: AddressObject | AddressObject[] | undefined): { address: string; name: string | null }[] {
  const objects = Array.isArray(value) ? value : value ? [value] : [];
  const flat = objects.flatMap((o) => o.value ?? []).flatMap((a) => (a.group ? a.group : [a]));
  return flat
    .filter((a) => typeof a.address === 'string' && a.address.includes('@'))
    .map((a) => ({ address: (a.address as string).trim().toLowerCase(), name: a.name?.trim() || null }));
}

const firstAddress = (value: AddressObject | AddressObject[] | undefined) => addressList(value)[0] ?? null;
const addresses = (value: AddressObject | AddressObject[] | undefined) => addressList(value).map((a) => a.address);

const BOUNCE_SENDER = /^(mailer-daemon|postmaster)@/i;

function deliveryReport(
  raw: Buffer,
  contentType: string,
  from: ParsedEmail['from'],
  attachments: ParsedAttachment[],
  ownId: string | null,
): DeliveryReport | null {
  const isDsn = /multipart\/report/.test(contentType) || attachments.some((a) => a.contentType === 'message/delivery-status');
  if (!isDsn && !(from && BOUNCE_SENDER.test(from.address))) return null;
  // The report and the quoted original may be attachments (possibly base64) or plain body text: search both.
  const quoted = attachments
    .filter((a) => /^(message\/(delivery-status|rfc822|global-headers)|text\/rfc822-headers)/.test(a.contentType))
    .map((a) => a.content.toString('utf8'));
  const haystack = [raw.toString('latin1'), ...quoted].join('\n');
  const pick = (re: RegExp) => haystack.match(re)?.[1]?.trim() ?? null;
  const ids = [...haystack.matchAll(/^Message-ID:\s*<([^>\s]+)>/gim)].map((m) => m[1]).filter((id) => id !== ownId);
  return {
    action: (pick(/^Action:\s*([a-z-]+)/im) ?? 'failed').toLowerCase(),
    status: pick(/^Status:\s*(\d\.\d{1,3}\.\d{1,3})/im),
    diagnostic: pick(/^Diagnostic-Code:\s*(.+)$/im),
    recipient: pick(/^Final-Recipient:\s*(?:rfc822;)?\s*<?([^\s>]+)>?/im)?.toLowerCase() ?? null,
    originalMessageIds: [...new Set(ids)],
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Enough HTML-to-text for a question: block elements become line breaks, quotes become "> " lines. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, (q) => `\n${htmlToText(q.replace(/^<blockquote[^>]*>|<\/blockquote>$/gi, '')).replace(/^/gm, '> ')}\n`)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e.toLowerCase()] ?? m,
    )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Where the quoted previous message starts, in the common clients and languages.
const QUOTE_HEADERS = [
  /^On\b.{0,300}\bwrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^(Am|Le|El|Il|Op|Em|Den|W dniu)\b.{0,300}\b(schrieb|a écrit|escribió|ha scritto|schreef|escreveu|skrev|napisał).{0,40}:\s*$/i,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale)\s*-{2,}/i,
  /^-{2,}\s*(Forwarded message|Weitergeleitete Nachricht)\s*-{2,}/i,
];
const OUTLOOK_FROM = /^\*?(From|Von|De|Van|Da):\*?\s/i;
const OUTLOOK_NEXT = /^\*?(Sent|Gesendet|Envoyé|Enviado|Date|Datum|To|An|À|Subject|Betreff|Objet):\*?\s/i;
const SIGNATURE_START = [
  /^-- ?$/, // RFC 3676 signature delimiter
  /^(Sent from my|Sent from Mail for|Sent from Outlook|Get Outlook for|Von meinem .{1,40} gesendet|Envoyé de mon)\b/i,
];

/** Cuts the quoted previous message and the signature; keeps the whole text when nothing would remain. */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const withNext = `${line} ${(lines[i + 1] ?? '').trim()}`; // Gmail wraps long "On ... wrote:" lines
    const quoteHeader = QUOTE_HEADERS.some((re) => re.test(line) || re.test(withNext));
    const outlookBlock =
      (OUTLOOK_FROM.test(line) || /^_{10,}$/.test(line)) &&
      lines.slice(i + 1, i + 5).some((l) => OUTLOOK_NEXT.test(l.trim()));
    const signature = SIGNATURE_START.some((re) => re.test(lines[i].trimEnd()));
    if (quoteHeader || outlookBlock || signature) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end);
  // A trailing block of "> ..." lines is the previous message quoted without a header.
  while (kept.length && (kept[kept.length - 1].trim() === '' || kept[kept.length - 1].startsWith('>'))) kept.pop();
  const result = kept.join('\n').trim();
  return result || text.trim();
}
