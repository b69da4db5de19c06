import { CHANNELS } from './messages';
import { CHANNEL_PROFILES } from './channel-profile';
import { OUTBOUND_DELIVERY_STATES, deliveryStatesBefore, mayMoveDeliveryState } from './delivery-state';

describe('channel profiles', () => {
  it.each(CHANNELS)("fits the agent's answers on %s within what its connector takes", (channel) => {
    const profile = CHANNEL_PROFILES[channel];
    expect(profile.replyBudget).toBeGreaterThan(0);
    expect(profile.replyBudget).toBeLessThanOrEqual(profile.maxTextLength);
  });
});

describe('the order of delivery states', () => {
  it('moves a message forward only: pending, sent, delivered, read', () => {
    expect(mayMoveDeliveryState('pending', 'sent')).toBe(true);
    expect(mayMoveDeliveryState('sent', 'delivered')).toBe(true);
    expect(mayMoveDeliveryState('pending', 'delivered')).toBe(true);
    expect(mayMoveDeliveryState('delivered', 'read')).toBe(true);
    expect(mayMoveDeliveryState('delivered', 'sent')).toBe(false);
    expect(mayMoveDeliveryState('read', 'delivered')).toBe(false);
    expect(mayMoveDeliveryState('sent', 'sent')).toBe(false);
  });

  it('fails a message not yet delivered, and never moves a failed one', () => {
    expect(deliveryStatesBefore('failed')).toEqual(['pending', 'sent']);
    for (const to of OUTBOUND_DELIVERY_STATES) expect(mayMoveDeliveryState('failed', to)).toBe(false);
  });
});
