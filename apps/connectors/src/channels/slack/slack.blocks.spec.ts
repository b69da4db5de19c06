import type { OutboundMessage } from '@cs/contracts';
import { renderSlackReply } from './slack.blocks';

const answer: OutboundMessage = {
  messageId: '0190f5c6-2222-7000-8000-000000000001',
  conversationId: '0190f5c6-3333-7000-8000-000000000001',
  connectorId: 'slack',
  channel: 'slack',
  channelAccountId: 'acc',
  target: { externalUserId: 'T0ACME:U0CUSTOMER', externalThreadId: 'C0SHARED:1764000000.000100' },
  authorKind: 'bot',
  parts: [
    { type: 'text', text: 'Orders arrive in 2-4 working days <usually>.' },
    { type: 'source', title: 'Delivery times', url: 'https://shop.example/kb/delivery' },
  ],
  channelData: {},
  idempotencyKey: 'k',
};

describe('Slack replies in Block Kit', () => {
  it('shows the answer, its sources as links and the two buttons', () => {
    const { text, blocks } = renderSlackReply(answer);
    expect(text).toBe('Orders arrive in 2-4 working days <usually>.');
    expect(blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Orders arrive in 2-4 working days &lt;usually&gt;.' } });
    expect(JSON.stringify(blocks[1])).toContain('<https://shop.example/kb/delivery|Delivery times>');
    const buttons = blocks.find((b) => b.type === 'actions');
    expect(buttons?.type === 'actions' && buttons.elements.map((e) => [e.action_id, e.text.text])).toEqual([
      ['cs_resolved', 'This solved it'],
      ['cs_handoff', 'Talk to a person'],
    ]);
  });

  it("puts no buttons under a hand-off note, a person's reply or an internal answer", () => {
    const handoff = { ...answer, parts: [{ type: 'text' as const, text: 'A person will reply here soon.' }] };
    expect(renderSlackReply(handoff).blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(renderSlackReply({ ...answer, authorKind: 'person', authorName: 'Sam' }).blocks.some((b) => b.type === 'actions')).toBe(false);
    const internal = renderSlackReply({ ...answer, channelData: { internal: true } });
    expect(internal.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(internal.blocks)).toContain('Internal answer');
  });

  it('asks the satisfaction question with one button per rating', () => {
    const survey = {
      ...answer,
      parts: [
        { type: 'text' as const, text: 'How would you rate the help you got?' },
        { type: 'actions' as const, actions: [1, 2, 3, 4, 5].map((n) => ({ id: `csat:${n}`, label: String(n) })) },
      ],
    };
    const buttons = renderSlackReply(survey).blocks.find((b) => b.type === 'actions');
    expect(buttons?.type === 'actions' && buttons.elements.map((e) => [e.action_id, e.text.text, e.value])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [`cs_csat_${n}`, String(n), answer.messageId]),
    );
  });
});
