import { outboundMessageSchema, replyOutcomeOf } from './messages';

describe('the outcome of a reply, read from its trace', () => {
  it('is a hand-off with its reason code when the trace records one', () => {
    expect(replyOutcomeOf({ decision: 'answer', generator: 'extractive', handoff: { reason: 'failed_check', summary: 's' } })).toEqual({ kind: 'handoff', reason: 'failed_check' });
    expect(replyOutcomeOf({ decision: 'handoff', generator: 'template', handoff: { reason: 'customer_asked_for_person', summary: 's' } })).toEqual({
      kind: 'handoff',
      reason: 'customer_asked_for_person',
    });
  });

  it('is answered, and says how: an answer, a clarifying question, small talk or an action', () => {
    expect(replyOutcomeOf({ decision: 'answer', generator: 'extractive' })).toEqual({ kind: 'answered', reason: 'answered' });
    expect(replyOutcomeOf({ decision: 'answer', generator: 'llm:gpt' })).toEqual({ kind: 'answered', reason: 'answered' });
    expect(replyOutcomeOf({ decision: 'answer', generator: 'clarify' })).toEqual({ kind: 'answered', reason: 'clarifying_question' });
    expect(replyOutcomeOf({ decision: 'smalltalk', generator: 'template' })).toEqual({ kind: 'answered', reason: 'smalltalk' });
    expect(replyOutcomeOf({ decision: 'answer', generator: 'action' })).toEqual({ kind: 'answered', reason: 'action' });
  });

  it('is absent for a reply whose trace is not a turn (a person, an old row)', () => {
    expect(replyOutcomeOf(null)).toBeUndefined();
    expect(replyOutcomeOf({})).toBeUndefined();
    expect(replyOutcomeOf({ decision: null, generator: null, handoff: null })).toBeUndefined();
  });

  it('travels on msg.out, and an outbound message without one stays valid', () => {
    const base = {
      messageId: 'm1',
      conversationId: 'c1',
      connectorId: 'api',
      channel: 'api',
      channelAccountId: 'a1',
      target: { externalUserId: 'u1' },
      authorKind: 'bot',
      parts: [{ type: 'text', text: 'hi' }],
      idempotencyKey: 'm1',
    };
    expect(outboundMessageSchema.parse({ ...base, outcome: { kind: 'handoff', reason: 'no_confident_answer' } }).outcome).toEqual({ kind: 'handoff', reason: 'no_confident_answer' });
    expect(outboundMessageSchema.parse(base).outcome).toBeUndefined();
    expect(outboundMessageSchema.safeParse({ ...base, outcome: { kind: 'shrugged', reason: 'x' } }).success).toBe(false);
  });
});
