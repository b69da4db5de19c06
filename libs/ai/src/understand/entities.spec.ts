import { extractEntities, parseAmount } from './entities';

const now = new Date('2026-03-10T12:00:00Z');
const pick = (text: string, type: string) => extractEntities(text, { now }).filter((e) => e.type === type).map((e) => e.value);

describe('extractEntities', () => {
  it('finds order numbers written with a hash, a prefix or the word "order"', () => {
    expect(pick('where is #12345?', 'order_number')).toEqual(['12345']);
    expect(pick('my order A-20931 is late', 'order_number')).toEqual(['A-20931']);
    expect(pick('order number 55102 never came', 'order_number')).toEqual(['55102']);
    expect(pick('Order no. 7781234 please', 'order_number')).toEqual(['7781234']);
  });

  it('finds emails and lowercases them', () => {
    expect(pick('reach me at Jane.Doe+shop@Example.co.uk today', 'email')).toEqual(['jane.doe+shop@example.co.uk']);
  });

  it('finds phone numbers in international and local form but not order numbers', () => {
    expect(pick('call me on +49 151 1234 5678', 'phone')).toEqual(['+4915112345678']);
    expect(pick('my number is (555) 123-4567', 'phone')).toEqual(['5551234567']);
    expect(pick('order #12345678 please', 'phone')).toEqual([]);
  });

  it('reads amounts with the currency before or after, in either decimal style', () => {
    const amounts = extractEntities('I paid $1,234.50 and then 12,99 € and EUR 30 plus 15 pounds', { now }).filter((e) => e.type === 'amount');
    expect(amounts.map((a) => [a.amount, a.currency])).toEqual([
      [1234.5, 'USD'],
      [12.99, 'EUR'],
      [30, 'EUR'],
      [15, 'GBP'],
    ]);
  });

  it('reads dates as ISO days, including relative ones', () => {
    expect(pick('ordered on 2026-02-28', 'date')).toEqual(['2026-02-28']);
    expect(pick('it came on 05/03/2026', 'date')).toEqual(['2026-03-05']);
    expect(pick('I ordered on March 3rd', 'date')).toEqual(['2026-03-03']);
    expect(pick('delivered 14 February 2026', 'date')).toEqual(['2026-02-14']);
    expect(pick('can it come tomorrow', 'date')).toEqual(['2026-03-11']);
    expect(pick('on 31/02/2026', 'date')).toEqual([]);
  });

  it('reports where each entity sits in the text', () => {
    const [entity] = extractEntities('see #12345', { now });
    expect('see #12345'.slice(entity.start, entity.end)).toBe('#12345');
  });

  it('parses thousands separators in European and English style', () => {
    expect(parseAmount('1.234,50')).toBe(1234.5);
    expect(parseAmount('1,234')).toBe(1234);
    expect(parseAmount('12,5')).toBe(12.5);
  });
});
