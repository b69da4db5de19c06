import { countSegments, encodingOf } from './sms-segments';
import { formatSmsBody, stripMarkdown } from './twilio-sms.format';

const link = 'https://shop.example.com/kb/delivery-times';
const source = { type: 'source' as const, title: 'Delivery times', url: link };

describe('an answer written for SMS', () => {
  it('reads as plain text, without markdown marks', () => {
    expect(stripMarkdown('## Delivery\n**Standard** delivery takes *2 to 4* days.\n* UK\n* EU')).toBe(
      'Delivery\nStandard delivery takes 2 to 4 days.\n- UK\n- EU',
    );
    expect(stripMarkdown('See [our returns page](https://x.example/r) and use `CODE10`.')).toBe(
      'See our returns page (https://x.example/r) and use CODE10.',
    );
    expect(stripMarkdown('keep snake_case_names and 2*3*4 as they are')).toBe('keep snake_case_names and 2*3*4 as they are');
  });

  it('ends with the article link, once, even when the agent already wrote it in the text', () => {
    const body = formatSmsBody([{ type: 'text', text: `Delivery takes 2 to 4 working days.\n\nMore: ${link}` }, source], 3);
    expect(body).toBe(`Delivery takes 2 to 4 working days.\n${link}`);
  });

  it("moves the link to the end when the agent labelled it in the customer's language", () => {
    const german = formatSmsBody([{ type: 'text', text: `Die Lieferung dauert 2 bis 4 Werktage.\n\nMehr dazu: ${link}` }, source], 3);
    const french = formatSmsBody([{ type: 'text', text: `La livraison prend 2 à 4 jours ouvrés.\n\nEn savoir plus : ${link}` }, source], 3);
    expect(german).toBe(`Die Lieferung dauert 2 bis 4 Werktage.\n${link}`);
    expect(french).toBe(`La livraison prend 2 à 4 jours ouvrés.\n${link}`);
  });

  it('gives the article as a link instead of its whole text, keeping whole sentences within the segment limit', () => {
    const article = Array.from({ length: 20 }, (_, i) => `Sentence number ${i + 1} of the delivery article explains a detail.`).join(' ');
    const body = formatSmsBody([{ type: 'text', text: article }, source], 2);
    expect(countSegments(body)).toBeLessThanOrEqual(2);
    expect(body.endsWith(`\n${link}`)).toBe(true);
    expect(body).toMatch(/^Sentence number 1 of the delivery article explains a detail\. .*detail\.\n/s);
  });

  it('cuts one endless sentence at a word and marks the cut', () => {
    const body = formatSmsBody([{ type: 'text', text: 'word '.repeat(200).trim() }], 1);
    expect(countSegments(body)).toBe(1);
    expect(body).toMatch(/^(word )+word\.\.\.$/);
  });

  it('counts a Unicode answer in UCS-2 segments when fitting it', () => {
    const body = formatSmsBody([{ type: 'text', text: 'Ваш заказ уже в пути и прибудет завтра. '.repeat(10) }], 3);
    expect(encodingOf(body)).toBe('UCS-2');
    expect(countSegments(body)).toBe(3);
    expect(body.length).toBeLessThanOrEqual(3 * 67);
  });
});
