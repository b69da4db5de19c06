import { foreignPersonalData, redactPersonalData } from './personal-data';

describe('personal data removed from text that leaves a conversation', () => {
  it('replaces the emails, phone numbers and order numbers the check finds, and the given names, and says which kinds', () => {
    const reply = 'Hi Maria, I checked order #48213 for maria.lopez@example.com and called +49 151 23456789. Yes, we deliver to Iceland in 5 days. Best, Tom. Maria Lopez asked first.';
    const { text, removed } = redactPersonalData(reply, ['Maria Lopez', 'Tom Baker']);
    expect(text).toBe('Hi [name], I checked order [order number] for [email] and called [phone]. Yes, we deliver to Iceland in 5 days. Best, [name]. [name] asked first.');
    expect(removed).toEqual(['email', 'name', 'order_number', 'phone']);
    expect(foreignPersonalData(text, [])).toEqual([]);
  });

  it('leaves a text without personal data as it is, and does not take a name inside a word', () => {
    expect(redactPersonalData('Tomatoes are not sold here.', ['Tom'])).toEqual({ text: 'Tomatoes are not sold here.', removed: [] });
  });
});
