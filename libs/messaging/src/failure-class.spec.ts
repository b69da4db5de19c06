import { BusNoRespondersError, BusTimeoutError } from './bus';
import { PermanentError, TransientError, classifyFailure } from './failure-class';

describe('classifyFailure', () => {
  it('calls socket errors, bus timeouts and TransientError transient, also as a cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyFailure(refused)).toBe('transient');
    expect(classifyFailure(new Error('wrapped', { cause: refused }))).toBe('transient');
    expect(classifyFailure(new AggregateError([refused], 'all addresses failed'))).toBe('transient');
    expect(classifyFailure(new BusTimeoutError('x', 10))).toBe('transient');
    expect(classifyFailure(new BusNoRespondersError('x'))).toBe('transient');
    expect(classifyFailure(new TransientError('later'))).toBe('transient');
  });

  it('calls PermanentError permanent and anything unknown a plain retry', () => {
    expect(classifyFailure(new PermanentError('bad'))).toBe('permanent');
    expect(classifyFailure(new Error('socket hang up'))).toBe('retry');
    expect(classifyFailure({ status: 'error', message: 'Internal server error' })).toBe('retry');
  });

  it('asks the app’s classifiers first, and survives one that throws', () => {
    const broken = () => {
      throw new Error('classifier bug');
    };
    const sqlstate = (err: unknown) => ((err as { code?: string }).code === '57P01' ? ('transient' as const) : undefined);
    expect(classifyFailure(Object.assign(new Error('admin shutdown'), { code: '57P01' }), [broken, sqlstate])).toBe('transient');
    expect(classifyFailure(new Error('x'), [() => 'permanent'])).toBe('permanent');
  });
});
