import { countSegments, encodingOf, smartEncode, splitSegments } from './sms-segments';

describe('SMS segments as carriers count them', () => {
  it('sends a plain English text of 160 characters as one GSM-7 segment, and 161 as two of at most 153', () => {
    expect(splitSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: ['a'.repeat(160)] });
    const two = splitSegments('a'.repeat(161));
    expect(two.segments.map((s) => s.length)).toEqual([153, 8]);
  });

  it('counts the GSM extension characters (€, brackets, ~) as two septets each', () => {
    expect(encodingOf('Price: 20€ [incl. VAT]')).toBe('GSM-7');
    expect(countSegments('€'.repeat(80))).toBe(1);
    expect(countSegments('€'.repeat(81))).toBe(2);
  });

  it('never splits an escaped character across two segments', () => {
    const { segments } = splitSegments('a'.repeat(152) + '€' + 'b'.repeat(10));
    expect(segments[0]).toBe('a'.repeat(152));
    expect(segments[1].startsWith('€')).toBe(true);
  });

  it('splits a Unicode answer into UCS-2 segments of 70, or 67 when there are several', () => {
    expect(splitSegments('д'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: ['д'.repeat(70)] });
    const { encoding, segments } = splitSegments('Ваш заказ отправлен. '.repeat(8));
    expect(encoding).toBe('UCS-2');
    expect(segments.length).toBe(3);
    expect(segments.slice(0, -1).every((s) => s.length === 67)).toBe(true);
  });

  it('counts an emoji as two UCS-2 units and keeps its surrogate pair in one segment', () => {
    expect(countSegments('😀'.repeat(35))).toBe(1);
    const { segments } = splitSegments('x' + '😀'.repeat(40));
    expect(segments.map((s) => s.length)).toEqual([67, 14]);
    expect(segments.join('')).toBe('x' + '😀'.repeat(40));
  });

  it('keeps a text in GSM-7 by replacing typographic quotes and dashes', () => {
    const typed = 'We’re open – “Monday to Friday”…';
    expect(encodingOf(typed)).toBe('UCS-2');
    expect(smartEncode(typed)).toBe('We\'re open - "Monday to Friday"...');
    expect(encodingOf(smartEncode(typed))).toBe('GSM-7');
  });
});
