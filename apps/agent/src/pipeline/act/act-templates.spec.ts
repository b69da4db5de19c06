import { REPLY_LANGUAGES } from '@cs/contracts';
import { FLOW_TEMPLATES, renderFlow, type FlowTemplate } from './act-templates';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const names = Object.keys(FLOW_TEMPLATES.en) as FlowTemplate[];

describe('the sentences of the return, exchange and address flows', () => {
  it('are written in every language, each with the placeholders of the English one, and translated', () => {
    expect(Object.keys(FLOW_TEMPLATES).sort()).toEqual([...REPLY_LANGUAGES].sort());
    for (const language of REPLY_LANGUAGES) {
      expect(Object.keys(FLOW_TEMPLATES[language]).sort()).toEqual([...names].sort());
      for (const name of names) {
        const template = FLOW_TEMPLATES[language][name];
        expect({ language, name, placeholders: placeholders(template) }).toEqual({ language, name, placeholders: placeholders(FLOW_TEMPLATES.en[name]) });
        if (language !== 'en') expect({ language, name, template }).not.toEqual({ language, name, template: FLOW_TEMPLATES.en[name] });
      }
    }
  });

  it('say what was requested in the customer’s language', () => {
    expect(renderFlow('de', 'returnDone', { items: 'Wasserflasche', order: '#W1' })).toBe(
      'Erledigt: Ich habe die Rückgabe von Wasserflasche aus Bestellung #W1 angefordert. Sie erhalten eine E-Mail, wie Sie die Artikel zurücksenden.',
    );
  });
});
