import { BusSubjects, MESSAGE_TYPES, makeEnvelope, type InboundMessage, type LiveTyping, type WebchatWebhookAnswer, type WebhookResponse } from '@cs/contracts';
import type { Bus } from './bus';
import { InProcessBus } from './in-process-bus';
import { waitFor } from './bus-behaviour.suite';

describe('the typed bus map', () => {
  it('hands a wildcard subscriber the payload of its entry', async () => {
    const bus = new InProcessBus({ prefix: 'cs' });
    try {
      const got: LiveTyping[] = [];
      bus.on(BusSubjects.convTypingAll(), (typing) => void got.push(typing));
      bus.emit(BusSubjects.convTyping('t1'), { conversationId: 'c1', channel: 'webchat', externalThreadId: 's1' });
      await waitFor('the typing event', () => got.length === 1);
      expect(got[0].externalThreadId).toBe('s1');
    } finally {
      await bus.close();
    }
  });

  it('answers a request with the response type of its entry', async () => {
    const bus = new InProcessBus({ prefix: 'cs' });
    try {
      bus.reply(BusSubjects.webchatRequest(), async (request): Promise<WebchatWebhookAnswer> => ({ ok: true, tenantId: `tenant-of-${request.widgetKey}` }));
      const answer = await bus.request(BusSubjects.webchatRequest(), { widgetKey: 'wk', sessionId: 's1', clientId: 'c1', text: 'hi' }, 1000);
      expect(answer).toEqual({ ok: true, tenantId: 'tenant-of-wk' });
    } finally {
      await bus.close();
    }
  });
});

/**
 * Not run: `tsc -p tsconfig.json` checks it (specs are part of the project), and each
 * `@ts-expect-error` fails the typecheck the day the map stops refusing that line.
 */
export function refusedByTheCompiler(bus: Bus, inbound: InboundMessage): void {
  // @ts-expect-error an inbound message cannot go out on msg.out
  bus.publish(BusSubjects.msgOut('webchat', 't1'), makeEnvelope(MESSAGE_TYPES.inbound, 't1', inbound)).catch(() => undefined);
  // @ts-expect-error a live subject is not durable
  bus.publish(BusSubjects.convMessage('t1'), makeEnvelope(MESSAGE_TYPES.conversation, 't1', {})).catch(() => undefined);
  // @ts-expect-error a wildcard is something to subscribe to, not to send on
  bus.emit(BusSubjects.convTypingAll(), { conversationId: 'c1', channel: 'webchat' });
  // @ts-expect-error a plain string is no subject: subjects come from BusSubjects
  bus.emit(String(BusSubjects.convTyping('t1')), { conversationId: 'c1', channel: 'webchat' });
  // @ts-expect-error the web chat request answers with WebchatWebhookAnswer, not an HTTP response
  const answer: Promise<WebhookResponse> = bus.request(BusSubjects.webchatRequest(), { widgetKey: 'wk', sessionId: 's1', clientId: 'c1', text: 'hi' }, 1000);
  answer.catch(() => undefined);
}
