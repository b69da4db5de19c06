import type { Passage } from '@cs/knowledge';
import { turnOf } from '../turn.fixture';
import { GenerateService } from './generate.service';

function passage(title: string, content: string, url: string | null = null): Passage {
  return { chunkId: `${title}-1`, articleId: title, title, slug: title.toLowerCase(), url, heading: '', content, score: 0.9 };
}

describe("the agent's own replies, in the customer's language", () => {
  const generate = new GenerateService();

  it("greets with the shop's name, thanks and says goodbye in the customer's language", () => {
    const turn = turnOf('Hallo zusammen');
    expect(generate.smalltalk(turn, 'greeting', 'de').text).toBe(
      'Hallo! Ich bin der Assistent von Demo Shop. Fragen Sie mich gern alles zu Bestellungen, Lieferung, Rücksendungen oder Zahlungen.',
    );
    expect(generate.smalltalk(turn, 'thanks', 'it').text).toBe("Prego! Posso aiutarla in qualcos'altro?");
    expect(generate.smalltalk(turn, 'goodbye', 'en').text).toBe('Thanks for getting in touch. Have a great day!');
  });

  it('asks which article the customer means, naming both titles', () => {
    const draft = generate.clarify(passage('Tarjetas regalo', 'x'), passage('Códigos de descuento', 'y'), 'es');
    expect(draft.parts).toEqual([{ type: 'text', text: '¿Se refiere a «Tarjetas regalo» o a «Códigos de descuento»?' }]);
  });
});
