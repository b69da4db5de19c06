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
 * is stored or published. The per-sender cap comes last so junk does not use up a sender's quota.
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

/** Mails per sender in a sliding hour, per mailbox. In memory: a restart forgives, which errs on answering. */
export class SenderRateLimiter {
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly windowMs = 60 * 60 * 1000) {}

  /** Whether one more mail from this sender stays within `cap` for the window. Does not count it. */
  allows(key: string, cap: number, now = Date.now()): boolean {
    const recent = (this.seen.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.seen.set(key, recent);
    return recent.length < cap;
  }

  /** Counts a mail that was handed on; counted only then, so a retried mail is not counted twice. */
  record(key: string, now = Date.now()): void {
    const recent = this.seen.get(key) ?? [];
    recent.push(now);
    this.seen.set(key, recent);
    if (this.seen.size > 10_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [key, times] of this.seen) if (times.every((t) => now - t >= this.windowMs)) this.seen.delete(key);
  }
}
