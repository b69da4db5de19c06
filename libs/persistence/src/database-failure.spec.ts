import { classifyDatabaseFailure } from './database-failure';

const pgError = (code: string, message = 'db error') => Object.assign(new Error(message), { code });

describe('classifyDatabaseFailure', () => {
  it('calls an unreachable or restarting database transient', () => {
    for (const code of ['08006', '08001', '57P01', '57P02', '57P03', '53300', '40001', '40P01']) {
      expect([code, classifyDatabaseFailure(pgError(code))]).toEqual([code, 'transient']);
    }
    expect(classifyDatabaseFailure(new Error('timeout exceeded when trying to connect'))).toBe('transient');
    expect(classifyDatabaseFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
  });

  it('calls a data exception of the message itself permanent, also inside TypeORM’s QueryFailedError', () => {
    expect(classifyDatabaseFailure(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))).toBe('permanent');
    const typeorm = Object.assign(new Error('query failed'), { driverError: pgError('22P02') });
    expect(classifyDatabaseFailure(typeorm)).toBe('permanent');
  });

  it('has no opinion on anything else (a constraint, our own bug), which gets the usual retries', () => {
    expect(classifyDatabaseFailure(pgError('23505'))).toBeUndefined();
    expect(classifyDatabaseFailure(pgError('42P01'))).toBeUndefined();
    expect(classifyDatabaseFailure(new Error('boom'))).toBeUndefined();
    expect(classifyDatabaseFailure('a string')).toBeUndefined();
  });
});
