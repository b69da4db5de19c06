import { BadRequestException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ValidationFailed } from '@cs/contracts';
import { ApiError, toErrorBody } from './api-exception.filter';

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
});
