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

/**
 * RFC 3834 loop and abuse guards, in order: mail we must never answer, checked before anything
 * is stored or published. The per-sender cap (`email.sender-cap.ts`) is applied after these.
 */
export function screenInbound(mail: ParsedEmail, ownAddress: string): GuardVerdict {
  const h = mail.headers;
  const reject = (reason: RejectReason, detail: string): GuardVerdict => ({ ok: false, reason, detail });
  if (!mail.from) return reject('no-sender', 'no usable From address');
  if (mail.from.address === ownAddress.toLowerCase()) return reject('own-address', mail.from.address);
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
  const localPart = mail.from.address.split('@')[0];
  if (NO_REPLY_LOCAL_PART.test(localPart)) return reject('no-reply-sender', mail.from.address);
  return { ok: true };
}
