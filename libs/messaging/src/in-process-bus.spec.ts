import { describeBusBehaviour } from './bus-behaviour.suite';
import { InProcessBus } from './in-process-bus';

describeBusBehaviour('InProcessBus', {
  connect: async () => new InProcessBus({ prefix: 'cs' }),
  moduleOptions: { prefix: 'cs' },
});
