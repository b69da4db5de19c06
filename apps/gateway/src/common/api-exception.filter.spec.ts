import { BadRequestException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ValidationFailed } from '@cs/contracts';
import { QueryFailedError, UpdateValuesMissingError } from 'typeorm';
import type { ArgumentsHost } from '@nestjs/common';
import { ApiError, ApiExceptionFilter, isConnectionError, toErrorBody } from './api-exception.filter';

describe('the HTTP error format', () => {
  it('names every invalid field of a 400', () => {
    const body = toErrorBody(new ValidationFailed([{ path: 'contact.externalId', message: 'Required' }]));
    expect(body).toEqual({
      error: {
        status: 400,
        code: 'VALIDATION_FAILED',
        message: 'contact.externalId: Required',
        fields: [{ path: 'contact.externalId', message: 'Required' }],
      },
    });
  });

  it('keeps the message of a 4xx and derives its code from the status', () => {
    expect(toErrorBody(new NotFoundException('no conversation x')).error).toEqual({ status: 404, code: 'NOT_FOUND', message: 'no conversation x' });
    expect(toErrorBody(new BadRequestException('bad')).error).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: 'bad' });
    expect(toErrorBody(new ApiError(409, 'ALREADY_ASSIGNED', 'taken')).error).toEqual({ status: 409, code: 'ALREADY_ASSIGNED', message: 'taken' });
  });

  it('hides the cause of an unexpected error behind an error id', () => {
    const body = toErrorBody(new Error('password=hunter2 in a stack trace'));
    expect(body.error).toEqual({ status: 500, code: 'INTERNAL', message: 'Internal error', errorId: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('keeps the details of a deliberate 503 such as the readiness checks', () => {
    const body = toErrorBody(new HttpException({ status: 'unavailable', checks: { bus: 'failed' } }, 503));
    expect(body.error).toMatchObject({ status: 503, code: 'UNAVAILABLE', details: { checks: { bus: 'failed' } } });
    expect(body.error.errorId).toBeUndefined();
    expect(toErrorBody(new ServiceUnavailableException('down')).error).toMatchObject({ status: 503, message: 'down' });
  });

  it('passes the status of body-parser errors through (malformed JSON is a 400, not a 500)', () => {
    const err = Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400 });
    expect(toErrorBody(err).error).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('answers a database outage with 503, not 500: refused connections, SQLSTATE 08 and 57P0x, pool timeouts', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const adminShutdown = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    const cannotConnect = Object.assign(new Error('the database system is starting up'), { code: '57P03' });
    const linkFailure = Object.assign(new Error('connection failure'), { code: '08006' });
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    for (const err of [refused, adminShutdown, cannotConnect, linkFailure, poolTimeout]) {
      expect(isConnectionError(err)).toBe(true);
      expect(toErrorBody(err).error).toEqual({ status: 503, code: 'UNAVAILABLE', message: expect.stringContaining('database') });
    }
    expect(isConnectionError(new Error('syntax error at or near "SELEC"'))).toBe(false);
    expect(isConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });

  it('answers a value the database cannot hold (SQLSTATE class 22) and an empty update with 400, not 500', () => {
    const nul = new QueryFailedError('INSERT', [], Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }));
    expect(toErrorBody(nul).error).toMatchObject({ status: 400, code: 'INVALID_VALUE' });
    expect(toErrorBody(new UpdateValuesMissingError()).error).toMatchObject({ status: 400, code: 'NOTHING_TO_UPDATE' });
  });

  it('tells the client when to retry a read during a database outage (Retry-After)', () => {
    const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
    const res = {
      headersSent: false,
      setHeader: (name: string, value: string) => void (sent.headers[name] = value),
      status(code: number) {
        sent.status = code;
        return this;
      },
      json: (body: unknown) => void (sent.body = body),
    };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', originalUrl: '/api/v1/contacts' }) }),
    } as unknown as ArgumentsHost;
    new ApiExceptionFilter().catch(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), host);
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('5');
    expect(sent.body).toMatchObject({ error: { status: 503, code: 'UNAVAILABLE' } });
  });
});
