import type { ParsedEmail } from './email.parse';

/** Why a mail is not handed to the agent. Each is logged with the mail's Message-ID. */
export type RejectReason =
  | 'no-sender'
  | 'own-address'
  | 'bounce'
  | 'null-return-path'
  | 'auto-submitted'
  | 'auto-reply-header'
  | 'precedence-bulk'
  | 'mailing-list'
  | 'no-reply-sender'
  | 'rate-limited';

export type GuardVerdict = { ok: true } | { ok: false; reason: RejectReason; detail: string };

const NO_REPLY_LOCAL_PART = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?|notifications?[-_.]?noreply)([+._-].*)?$/i;

export type EmailAddress = NonNullable<ParsedEmail['from']>;

/** An address that says no one reads it (`no-reply@`, `mailer-daemon@`...). */
export function isNoReplyAddress(address: string): boolean {
  return NO_REPLY_LOCAL_PART.test(address.split('@')[0]);
}

/**
 * Who the customer is and where the answer goes: the `Reply-To` address when the mail has one
 * (RFC 5322 §3.6.2: replies go there, which is how a contact form relaying from `no-reply@` names
 * its customer), else `From`. The name is Reply-To's own, else From's unless From is a robot.
 */
export function replyAddressOf(mail: ParsedEmail): EmailAddress | null {
  const { from, replyTo } = mail;
  if (!replyTo) return from;
  const name = replyTo.name ?? (from && !isNoReplyAddress(from.address) ? from.name : null);
  return { address: replyTo.address, name };
}

/**
 * RFC 3834 loop and abuse guards, in order: mail we must never answer, checked before anything
 * is stored or published. They look at the mail itself first (an auto-reply is never answered,
 * whatever its Reply-To says), then at the address the answer would go to. The per-sender cap
 * (`email.sender-cap.ts`) is applied after these.
 */
export function screenInbound(mail: ParsedEmail, ownAddress: string): GuardVerdict {
  const h = mail.headers;
  const reject = (reason: RejectReason, detail: string): GuardVerdict => ({ ok: false, reason, detail });
  const answerTo = replyAddressOf(mail);
  if (!mail.from || !answerTo) return reject('no-sender', 'no usable From address');
  const own = ownAddress.toLowerCase();
  if (mail.from.address === own) return reject('own-address', mail.from.address);
  if (answerTo.address === own) return reject('own-address', `Reply-To: ${answerTo.address}`);
  if (mail.report) return reject('bounce', `delivery report, action ${mail.report.action}`);
  if (h['return-path'] !== undefined && /^<?\s*>?$/.test(h['return-path'])) return reject('null-return-path', 'Return-Path: <>');
  const autoSubmitted = h['auto-submitted']?.split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return reject('auto-submitted', `Auto-Submitted: ${autoSubmitted}`);
  if (h['x-autoreply'] || h['x-autorespond'] || /\b(all|oof|autoreply)\b/i.test(h['x-auto-response-suppress'] ?? '')) {
    return reject('auto-reply-header', 'X-Autoreply / X-Autorespond / X-Auto-Response-Suppress');
  }
  const precedence = h['precedence']?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) return reject('precedence-bulk', `Precedence: ${precedence}`);
  if (h['list-id'] || h['list-unsubscribe']) return reject('mailing-list', h['list-id'] ?? 'List-Unsubscribe');
  // A no-reply From is fine when Reply-To names someone who reads their mail (a contact form).
  if (isNoReplyAddress(answerTo.address)) return reject('no-reply-sender', answerTo === mail.from ? answerTo.address : `Reply-To: ${answerTo.address}`);
  return { ok: true };
}
