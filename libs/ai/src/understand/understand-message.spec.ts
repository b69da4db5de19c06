import { understandMessage } from './understand-message';

describe('understandMessage', () => {
  it('reads language, entities and mood from one message', async () => {
    const u = await understandMessage('This is UNACCEPTABLE, order #48213 still has not arrived and nobody answers jane@example.com!!', {
      now: new Date('2026-03-10T12:00:00Z'),
    });
    expect(u.language.language).toBe('en');
    expect(u.entities.map((e) => [e.type, e.value])).toEqual([
      ['order_number', '48213'],
      ['email', 'jane@example.com'],
    ]);
    expect(u.sentiment.angry).toBe(true);
    expect(u.intent).toBeNull(); // no classifier given
  });
});
