import { detectLanguage } from '@cs/ai';
import { fillTemplate, REPLY_LANGUAGES } from '@cs/contracts';
import { replyLanguage } from './language';
import { MORE_LINK, moreLink } from './links';
import { render, TEMPLATES, type TemplateName } from './templates';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const names = Object.keys(TEMPLATES.en) as TemplateName[];

describe("the agent's own sentences", () => {
  it('are written in every language, each with the placeholders of the English one', () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...REPLY_LANGUAGES].sort());
    for (const language of REPLY_LANGUAGES) {
      expect(Object.keys(TEMPLATES[language]).sort()).toEqual([...names].sort());
      for (const name of names) {
        const template = TEMPLATES[language][name];
        expect({ language, name, placeholders: placeholders(template) }).toEqual({ language, name, placeholders: placeholders(TEMPLATES.en[name]) });
        // An English sentence left in another language's table would read as a forgotten translation.
        if (language !== 'en') expect({ language, name, template }).not.toEqual({ language, name, template: TEMPLATES.en[name] });
      }
    }
  });

  it("are in the customer's language when it is confidently detected", () => {
    expect(replyLanguage(detectLanguage('Wo ist meine Bestellung? Ich habe sie noch nicht bekommen.'))).toBe('de');
    expect(replyLanguage(detectLanguage("Bonjour, où est ma commande ? Je ne l'ai toujours pas reçue."))).toBe('fr');
    expect(replyLanguage(detectLanguage('¿Dónde está mi pedido? Todavía no lo he recibido.'))).toBe('es');
  });

  it('fall back to English for a language without templates, a short message, or an unsure guess', () => {
    expect(replyLanguage(detectLanguage('注文した商品はいつ届きますか？'))).toBe('en');
    expect(replyLanguage(detectLanguage('ok'))).toBe('en');
    expect(replyLanguage({ language: 'de', confidence: 0.59 })).toBe('en');
    expect(replyLanguage({ language: 'de', confidence: 0.6 })).toBe('de');
  });

  it('take article titles as they are, even ones that look like placeholders', () => {
    expect(render('nl', 'clarify', { first: 'Cadeaubonnen', second: 'Kortingscodes {url}' })).toBe('Bedoelt u "Cadeaubonnen" of "Kortingscodes {url}"?');
    expect(fillTemplate('Back {when}, on {day}.', { when: 'soon' })).toBe('Back soon, on {day}.');
  });

  it('recognise the link paragraph in every language, and nothing else', () => {
    for (const language of REPLY_LANGUAGES) {
      expect(`Answer.\n\n${moreLink(language, 'https://shop.example/kb/a')}`.replace(MORE_LINK, '')).toBe('Answer.');
    }
    expect('Answer.\n\nWrite to us: https://shop.example/contact'.replace(MORE_LINK, '')).toBe('Answer.\n\nWrite to us: https://shop.example/contact');
  });
});
