import { makeEnvelope, newId } from '@cs/contracts';
import { describeBusBehaviour } from './bus-behaviour.suite';
import { specSubject } from './bus-spec-subjects';
import { InProcessBus } from './in-process-bus';

describeBusBehaviour('InProcessBus', {
  connect: async () => new InProcessBus({ prefix: 'cs' }),
  moduleOptions: { prefix: 'cs' },
});

describe('InProcessBus: a durable nobody consumes', () => {
  it('does not hold the stream: past its limit the oldest messages go, and on return it gets what is left', async () => {
    const bus = new InProcessBus({ prefix: 'cs', maxMessages: 5 });
    const subject = specSubject.durable(`msg.in.test.${newId().replace(/-/g, '')}`);
    const seen: number[] = [];
    const first = await bus.consume({ durable: 'detached', filterSubjects: [subject] }, async (m) => {
      seen.push((m.envelope.data as { n: number }).n);
    });
    await first.unsubscribe();
    for (let n = 1; n <= 20; n++) await bus.publish(subject, makeEnvelope('test', 't1', { n }));
    expect(seen).toEqual([]);

    await bus.consume({ durable: 'detached', filterSubjects: [subject] }, async (m) => {
      seen.push((m.envelope.data as { n: number }).n);
    });
    for (let i = 0; i < 50 && seen.length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([16, 17, 18, 19, 20]);
    await bus.close();
  });
});
