import { ConnectorError } from '@cs/contracts';
import type { Message } from '@cs/persistence';

/** Longest we hold a consumer slot honouring a vendor's Retry-After before handing back to the bus. */
export const MAX_RETRY_SLEEP_MS = 10_000;

export type SkipReason = 'missing' | 'private' | 'not-outgoing' | 'already-sent';

/**
 * Chatwoot's send guard: only an outgoing, public message that has no vendor id yet is sent.
 * This is what stops reply loops and double sends when the bus redelivers.
 */
export function sendGuard(row: Pick<Message, 'direction' | 'private' | 'externalMessageId' | 'deliveryState'> | null): SkipReason | null {
  if (!row) return 'missing';
  if (row.private) return 'private';
  if (row.direction !== 'out') return 'not-outgoing';
  if (row.externalMessageId || ['sent', 'delivered', 'read'].includes(row.deliveryState)) return 'already-sent';
  return null;
}

export type SendDecision =
  | { action: 'retry'; sleepMs: number; code: string }
  | { action: 'fail'; code: string; reason: string; failAccount: boolean };

/**
 * The one place that maps a send error to what happens next (Twenty's exception-code handler):
 * retry later, or mark the message failed (and, on AUTH, the channel account too).
 * `errorId` names the log line for errors that are not ConnectorErrors, whose text never leaves.
 */
export function decideOnSendError(err: unknown, attempt: number, maxAttempts: number, errorId: string): SendDecision {
  if (!(err instanceof ConnectorError)) {
    const reason = `unexpected error while sending (error id ${errorId})`;
    return attempt >= maxAttempts ? { action: 'fail', code: 'INTERNAL', reason, failAccount: false } : { action: 'retry', sleepMs: 0, code: 'INTERNAL' };
  }
  switch (err.code) {
    case 'TEMPORARY':
    case 'RATE_LIMITED':
      if (attempt >= maxAttempts) {
        return { action: 'fail', code: err.code, reason: `gave up after ${attempt} attempts: ${err.message}`, failAccount: false };
      }
      return { action: 'retry', sleepMs: Math.min(Math.max(err.retryAfterMs ?? 0, 0), MAX_RETRY_SLEEP_MS), code: err.code };
    case 'AUTH':
      return { action: 'fail', code: err.code, reason: err.message, failAccount: true };
    default:
      return { action: 'fail', code: err.code, reason: err.message, failAccount: false };
  }
}
