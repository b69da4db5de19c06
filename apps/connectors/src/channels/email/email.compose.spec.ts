import { REPLY_LANGUAGES, type MessagePart } from '@cs/contracts';
import { composeReply } from './email.compose';
import { EMAIL_WORDING, emailWording, type EmailWording } from './email.wording';

const question = { text: 'How long does delivery take?', from: 'Jane Doe', date: new Date('2025-01-14T09:12:44Z') };
const everyPart: MessagePart[] = [
  { type: 'text', text: 'Delivery to Austria takes 3-5 working days.' },
  { type: 'actions', actions: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }] },
  { type: 'source', title: 'Delivery times', url: 'https://shop.test/help/delivery' },
];

describe('the reply body', () => {
  it('greets by first name, answers, links the sources, signs and quotes the question', () => {
    const { text, html } = composeReply({
      parts: [
        { type: 'text', text: 'Delivery to Austria takes 3-5 working days.' },
        { type: 'source', title: 'Delivery times', url: 'https://shop.test/help/delivery' },
      ],
      recipientName: 'Jane Doe',
      signature: 'Demo Shop Support',
      quoted: question,
    });
    expect(text).toBe(
      'Hello Jane,\n\nDelivery to Austria takes 3-5 working days.\n\nMore on this:\n- Delivery times: https://shop.test/help/delivery\n\n' +
        '-- \nDemo Shop Support\n\nOn Tue, 14 Jan 2025, 09:12 UTC, Jane Doe wrote:\n> How long does delivery take?\n',
    );
    expect(html).toContain('<a href="https://shop.test/help/delivery">Delivery times</a>');
    expect(html).toContain('<blockquote');
  });

  it('does not list a source whose link the answer already contains', () => {
    const { text } = composeReply({
      parts: [
        { type: 'text', text: 'See https://shop.test/help/delivery for details.' },
        { type: 'source', title: 'Delivery times', url: 'https://shop.test/help/delivery' },
      ],
      signature: 'S',
    });
    expect(text).not.toContain('More on this');
  });

  it('does not greet twice when the answer already greets, and escapes HTML in the answer', () => {
    const { text, html } = composeReply({ parts: [{ type: 'text', text: 'Hi Jane, use <b>code</b> & go.' }], signature: 'S' });
    expect(text.startsWith('Hi Jane,')).toBe(true);
    expect(html).toContain('use &lt;b&gt;code&lt;/b&gt; &amp; go.');
  });
});

describe('the reply body in the reply language', () => {
  it('wraps a German reply in German: greeting, choices, links and quote header', () => {
    const { text, html } = composeReply({
      parts: [
        { type: 'text', text: 'Die Lieferung nach Österreich dauert 3 bis 5 Werktage.' },
        { type: 'actions', actions: [{ id: 'yes', label: 'Ja' }, { id: 'no', label: 'Nein' }] },
        { type: 'source', title: 'Lieferzeiten', url: 'https://shop.test/hilfe/lieferung' },
      ],
      recipientName: 'Max Mustermann',
      signature: 'Demo Shop Support',
      quoted: { text: 'Wie lange dauert die Lieferung?', from: 'Max Mustermann', date: question.date },
      language: 'de',
    });
    expect(text).toBe(
      'Hallo Max,\n\nDie Lieferung nach Österreich dauert 3 bis 5 Werktage.\n\n' +
        'Sie können mit einer dieser Möglichkeiten antworten: Ja / Nein\n\n' +
        'Mehr dazu:\n- Lieferzeiten: https://shop.test/hilfe/lieferung\n\n' +
        '-- \nDemo Shop Support\n\nAm Di., 14. Jan. 2025, 09:12 UTC schrieb Max Mustermann:\n> Wie lange dauert die Lieferung?\n',
    );
    expect(html).toContain('<p>Hallo Max,</p>');
    expect(html).toContain('<p>Mehr dazu:</p>');
    expect(html).toContain('<p>Am Di., 14. Jan. 2025, 09:12 UTC schrieb Max Mustermann:</p>');
  });

  it('greets without a name, and quotes without a date, in the reply language', () => {
    const { text } = composeReply({
      parts: [{ type: 'text', text: 'Votre colis est en route.' }],
      signature: 'S',
      quoted: { text: 'Où est mon colis ?', from: 'client@example.fr', date: null },
      language: 'fr',
    });
    expect(text).toBe('Bonjour,\n\nVotre colis est en route.\n\n-- \nS\n\nclient@example.fr a écrit :\n> Où est mon colis ?\n');
  });

  it.each([[undefined], [null], ['pl'], ['EN']])('writes English when the language is %p', (language) => {
    const { text } = composeReply({ parts: everyPart, recipientName: 'Jane', signature: 'S', quoted: question, language });
    expect(text).toContain('Hello Jane,');
    expect(text).toContain('You can reply with one of: Yes / No');
    expect(text).toContain('More on this:');
    expect(text).toContain('On Tue, 14 Jan 2025, 09:12 UTC, Jane Doe wrote:');
  });

  const prose = (w: EmailWording) => [w.greeting, w.greetingNoName, w.choices, w.sources, w.quoteHeader, w.quoteHeaderUndated, w.untitledSubject];
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it.each(REPLY_LANGUAGES.filter((l) => l !== 'en'))('has every string in %s, translated, with the English placeholders', (language) => {
    const wording = EMAIL_WORDING[language];
    prose(wording).forEach((s, i) => {
      const english = prose(EMAIL_WORDING.en)[i] as string;
      expect(s.trim()).not.toBe('');
      expect(s).not.toBe(english);
      expect(placeholders(s)).toEqual(placeholders(english));
    });
    expect(wording.greetingWords.length).toBeGreaterThan(0);
    expect(wording.locale.split('-')[0]).toBe(language);
    expect(Intl.DateTimeFormat.supportedLocalesOf([wording.locale])).toEqual([wording.locale]);
    expect(emailWording(language)).toBe(wording);
  });

  it.each(REPLY_LANGUAGES.filter((l) => l !== 'en'))('leaves no English wrapper text in a %s mail', (language) => {
    const { text, html } = composeReply({ parts: everyPart, recipientName: 'Jane Doe', signature: 'S', quoted: question, language });
    const english = EMAIL_WORDING.en;
    for (const phrase of [english.greetingNoName.replace(',', ''), english.choices, english.sources, ' wrote:', 'Tue', 'Jan ']) {
      expect(text).not.toContain(phrase);
      expect(html).not.toContain(phrase);
    }
  });

  it.each(REPLY_LANGUAGES.flatMap((l) => EMAIL_WORDING[l].greetingWords.map((w) => [l, w] as const)))(
    'does not greet again an answer that opens with the %s greeting "%s"',
    (language, word) => {
      const opening = `${word[0]?.toUpperCase()}${word.slice(1)}!`;
      const { text } = composeReply({ parts: [{ type: 'text', text: `${language === 'es' ? '¡' : ''}${opening} Thanks.` }], recipientName: 'Jane', signature: 'S', language });
      expect(text.startsWith(`${language === 'es' ? '¡' : ''}${opening}`)).toBe(true);
    },
  );

  it('still greets an answer whose first word only begins like a greeting', () => {
    const { text } = composeReply({ parts: [{ type: 'text', text: 'Hilfe zur Rücksendung finden Sie unten.' }], recipientName: 'Max', signature: 'S', language: 'de' });
    expect(text.startsWith('Hallo Max,\n\nHilfe zur Rücksendung')).toBe(true);
  });
});
