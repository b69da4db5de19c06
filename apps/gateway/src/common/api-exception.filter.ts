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
  return internal(HttpStatus.INTERNAL_SERVER_ERROR);
}

function internal(status: number): ApiErrorBody {
  return { error: { status, code: codeForStatus(status), message: 'Internal error', errorId: newId() } };
}
