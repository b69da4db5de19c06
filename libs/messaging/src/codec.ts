import { BusRemoteError } from './bus';

/**
 * Both buses put payloads through JSON, so the in-process bus hands handlers exactly what NATS
 * would (dates as strings, no shared references) and embedded mode cannot hide a bug that the
 * distributed mode would show.
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function decodeJson<T = unknown>(text: string): T {
  return JSON.parse(text) as T;
}

/** A reply on the wire: either the responder's answer or the message of what it threw. */
export type ReplyFrame = { reply: unknown } | { replyError: string };

export function replyFrame(result: PromiseSettledResult<unknown>): ReplyFrame {
  return result.status === 'fulfilled' ? { reply: result.value ?? null } : { replyError: errorMessage(result.reason) };
}

export function unwrapReply<T>(subject: string, frame: unknown): T {
  if (frame && typeof frame === 'object') {
    if ('replyError' in frame) throw new BusRemoteError(subject, String((frame as { replyError: unknown }).replyError));
    if ('reply' in frame) return (frame as { reply: T }).reply;
  }
  // Someone answered without our framing (another client): hand the raw answer over.
  return frame as T;
}

/** Nest's RPC exception filter rejects with plain `{ status, message }` objects, not Errors. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

export function backoffDelay(backoffMs: number[], deliveryCount: number): number {
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(Math.max(deliveryCount - 1, 0), backoffMs.length - 1)];
}

export const CONSUMER_DEFAULTS = {
  maxDeliver: 5,
  backoffMs: [200, 1000, 5000, 15000],
  concurrency: 32,
  ackWaitMs: 30_000,
  transientRetryMs: 24 * 3600_000,
  transientBackoffMaxMs: 5_000,
};

export const DEDUPE_WINDOW_MS = 120_000;
export const DEFAULT_REPLY_QUEUE = 'cs-responders';
