import { randomBytes } from 'crypto';
import { makeEnvelope, newId, streamSubjects } from '@cs/contracts';
import { describeBusBehaviour, waitFor } from './bus-behaviour.suite';
import { specSubject } from './bus-spec-subjects';
import { NatsBus } from './nats-bus';

const servers = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `${process.env.TEST_BUS_PREFIX ?? 'cstest'}a${randomBytes(3).toString('hex')}`;

describeBusBehaviour('NatsBus', {
  connect: () => NatsBus.connect({ servers, prefix, name: 'messaging-int-spec' }),
  moduleOptions: { natsUrl: servers, prefix, name: 'messaging-int-spec-nest' },
});

describe('NatsBus across processes', () => {
  it('redelivers to another member of the durable when the process handling a message dies', async () => {
    const id = newId().replace(/-/g, '');
    const opts = { durable: `crash${id}`, filterSubjects: [specSubject.durable(`msg.in.test.${id}`)], ackWaitMs: 1000 };
    const dying = await NatsBus.connect({ servers, prefix, drainTimeoutMs: 50 });
    const survivor = await NatsBus.connect({ servers, prefix });
    try {
      let dyingGotIt = false;
      await dying.consume(opts, async () => {
        dyingGotIt = true;
        await new Promise(() => undefined); // never finishes: the process dies first
      });
      await survivor.publish(specSubject.durable(`msg.in.test.${id}`), makeEnvelope('test', 't1', {}));
      await waitFor('the first delivery', () => dyingGotIt);
      await dying.close();

      const deliveries: number[] = [];
      await survivor.consume(opts, async (m) => void deliveries.push(m.deliveryCount));
      await waitFor('the redelivery', () => deliveries.length === 1, 4000);
      expect(deliveries).toEqual([2]);
    } finally {
      await survivor.close();
    }
  });
});

describe('NatsBus streams', () => {
  it('creates the prefix streams with a two-minute duplicate window on file storage', async () => {
    const bus = await NatsBus.connect({ servers, prefix });
    try {
      for (const [name, subjects] of Object.entries(streamSubjects(prefix))) {
        const info = await bus.manager().streams.info(name);
        expect(info.config.subjects).toEqual(subjects);
        expect(info.config.duplicate_window).toBe(120_000_000_000);
        expect(info.config.storage).toBe('file');
      }
    } finally {
      await bus.close();
    }
  });
});

afterAll(async () => {
  const bus = await NatsBus.connect({ servers, prefix });
  try {
    for (const name of Object.keys(streamSubjects(prefix))) await bus.manager().streams.delete(name);
  } finally {
    await bus.close();
  }
});
