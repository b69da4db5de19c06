import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { throwError, type Observable } from 'rxjs';
import { ValidationFailed, newId } from '@cs/contracts';
import { errorsTotal } from '@cs/config';

/** The one error body of the HTTP API. */
export interface ApiErrorBody {
  error: {
    status: number;
    code: string;
    message: string;
    fields?: { path: string; message: string }[];
    errorId?: string;
    details?: Record<string, unknown>;
  };
}

/** An HTTP error with a machine-readable code, for cases where the status alone is ambiguous. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
  ) {
    super(message, status);
  }
}

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  502: 'BAD_GATEWAY',
  503: 'UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** Seconds a client is told to wait when the database is unreachable: about one reconnect attempt. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Node socket errors that mean a backing service (PostgreSQL) cannot be reached right now. */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** PostgreSQL SQLSTATEs of a server going away: admin/crash shutdown, cannot connect now, too many connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** What node-postgres and its pool say when a connection cannot be had or dies (they carry no code). */
const CONNECTION_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'connect ECONNREFUSED',
];

/**
 * A database outage, not a bad request nor a bug: the read (or write) may be retried in a moment.
 * TypeORM's QueryFailedError copies the driver's fields (`code`) and keeps it as `driverError`.
 */
export function isConnectionError(exception: unknown): boolean {
  for (let err = exception, depth = 0; err && typeof err === 'object' && depth < 4; depth++) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
    const next = err as { driverError?: unknown; cause?: unknown };
    err = next.driverError ?? next.cause;
  }
  return false;
}

/**
 * A PostgreSQL data exception (SQLSTATE class 22: a value the column cannot hold, an invalid
 * byte sequence, a malformed uuid) comes from what the client sent: a 400, never a 500.
 */
function dataExceptionOf(exception: unknown): string | null {
  const err = exception as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = err?.driverError?.code ?? err?.code;
  if (!(exception instanceof Error) || typeof code !== 'string' || !/^22[0-9A-Z]{3}$/.test(code)) return null;
  return code;
}

export function codeForStatus(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'ERROR');
}

/**
 * Every HTTP error leaves as `{ error: { status, code, message, fields?, errorId? } }`: a 4xx says
 * what was wrong with the input (400s name the fields), a 500 hides the cause behind an errorId
 * that is in the log. Non-HTTP contexts (bus handlers of the embedded app) are passed through.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() !== 'http') return throwError(() => exception);
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const body = toErrorBody(exception);
    if (body.error.errorId) {
      errorsTotal.inc({ app: 'gateway', kind: 'http' });
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`errorId=${body.error.errorId} ${req.method} ${req.originalUrl}: ${err.message}`, err.stack);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (body.error.status === 503 && isConnectionError(exception)) {
      this.logger.warn(`${req.method} ${req.originalUrl}: database unreachable (${(exception as Error).message})`);
      res.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    }
    res.status(body.error.status).json(body);
  }
}

export function toErrorBody(exception: unknown): ApiErrorBody {
  if (exception instanceof ValidationFailed) {
    return {
      error: { status: 400, code: 'VALIDATION_FAILED', message: exception.message, fields: exception.fields },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 500 && !(exception instanceof ApiError)) return internal(status);
    const code = exception instanceof ApiError ? exception.code : codeForStatus(status);
    const response = exception.getResponse();
    if (typeof response === 'string') return { error: { status, code, message: response } };
    const { message, error: _error, statusCode: _statusCode, ...details } = response as Record<string, unknown>;
    const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
    const hasDetails = Object.keys(details).length > 0;
    return { error: { status, code, message: text, ...(hasDetails ? { details } : {}) } };
  }
  // Express body-parser errors (malformed JSON, too large) carry their status.
  const status = (exception as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { error: { status, code: codeForStatus(status), message: (exception as Error).message } };
  }
  if (isConnectionError(exception)) {
    return { error: { status: 503, code: 'UNAVAILABLE', message: 'The database is unreachable, retry shortly' } };
  }
  const dataException = dataExceptionOf(exception);
  if (dataException) {
    return { error: { status: 400, code: 'INVALID_VALUE', message: `A value could not be stored (SQLSTATE ${dataException}): ${(exception as Error).message}` } };
  }
  // TypeORM's "nothing to update": every PATCH refuses an empty body first; this keeps a missed one a 400.
  if (exception instanceof Error && exception.name === 'UpdateValuesMissingError') {
    return { error: { status: 400, code: 'NOTHING_TO_UPDATE', message: 'The body names no field to change' } };
  }
  return internal(HttpStatus.INTERNAL_SERVER_ERROR);
}

function internal(status: number): ApiErrorBody {
  return { error: { status, code: codeForStatus(status), message: 'Internal error', errorId: newId() } };
}
