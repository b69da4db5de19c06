import type { Request } from 'express';
import type { WebhookRequest } from '@cs/contracts';

/**
 * One public HTTP request, verbatim, as the connectors see it. The URL is PUBLIC_URL + the
 * original path and query when PUBLIC_URL is set: behind a proxy the Host header is the proxy's,
 * and vendors sign the URL they called.
 */
export function toWebhookRequest(req: Request, publicUrl: string | undefined, now = new Date()): WebhookRequest {
  const originalUrl = req.originalUrl || req.url;
  const origin = publicUrl ? publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.headers.host ?? 'localhost'}`;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: req.method,
    url: origin + originalUrl,
    path: originalUrl.split('?')[0],
    query: normalizeQuery(req.query),
    headers,
    bodyBase64: Buffer.isBuffer(req.body) ? req.body.toString('base64') : '',
    receivedAt: now.toISOString(),
  };
}

function normalizeQuery(query: Request['query']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}
