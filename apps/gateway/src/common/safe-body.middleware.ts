import type { NextFunction, Request, Response } from 'express';
import { UnsafeInput, ValidationFailed, safeValue } from '@cs/contracts';
import { ApiError, toErrorBody } from './api-exception.filter';

/**
 * Every parsed body (JSON, form-encoded) and query string of the HTTP edge goes through the one
 * text normalisation (`safeValue` of libs/contracts) before a pipe, a guard or a handler sees it:
 * NUL and control characters removed, lone surrogates replaced. A value that cannot be made safe
 * (too long, nested too deep) is a 400 naming the field. `/hooks` is left alone: its body stays the
 * exact bytes the vendor signed, and the connectors normalise what they parse from it.
 */
export function safeBodyMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (req.path === '/hooks' || req.path.startsWith('/hooks/')) return next();
  const unreadable = unreadableBody(req);
  if (unreadable) {
    res.status(415).json(toErrorBody(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', unreadable)));
    return;
  }
  try {
    if (req.body !== undefined) req.body = safeValue(req.body);
    // Express 5 computes req.query from the URL on every read; an own property shadows that getter.
    const query = safeValue(req.query, {}, '(query)');
    Object.defineProperty(req, 'query', { value: query, configurable: true, enumerable: true, writable: true });
  } catch (err) {
    if (!(err instanceof UnsafeInput)) return next(err);
    res.status(400).json(toErrorBody(new ValidationFailed([{ path: err.path, message: err.reason }])));
    return;
  }
  next();
}

/** Body types the edge reads: JSON, form fields, and file uploads (read by the upload routes themselves). */
const READABLE = /^(application\/json|application\/[\w.+-]+\+json|application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * A write whose body the edge cannot read (no Content-Type, or text/plain, XML...) would otherwise
 * look like an empty body and fail on its first required field, which misleads: say what is wrong.
 */
function unreadableBody(req: Request): string | null {
  if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return null;
  const length = Number(req.headers['content-length'] ?? 0);
  if (!(length > 0) && !req.headers['transfer-encoding']) return null;
  const type = req.headers['content-type'];
  if (type && READABLE.test(type)) return null;
  return `Content-Type: send the body as application/json (got ${type ? type.split(';')[0] : 'no Content-Type'})`;
}
