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

describe('two passages retrieval cannot tell apart', () => {
  const generate = new GenerateService();
  const password = { ...passage('Recover password', 'We cannot tell you your password, but we can send you a link to set a new one.'), chunkId: 'pw' };
  const username = { ...passage('Recover username', 'Give us your full name and zip code and we will tell you your username.'), chunkId: 'user' };

  it('answers from the one the whole question points to: "I forgot my username, how do I get it back?"', () => {
    expect(generate.preferred(turnOf('I forgot my username, how do I get it back?'), [password, username], { sentenceSimilarity: { pw: [0.4], user: [0.7] } })).toBe(username);
  });

  it('asks which one the customer means when both answer about equally well', () => {
    expect(generate.preferred(turnOf('I am locked out'), [password, username], { sentenceSimilarity: { pw: [0.8], user: [0.8] } })).toBeUndefined();
  });

  it('does not ask when neither answers: the first goes on to the check, which hands it off', () => {
    expect(generate.preferred(turnOf('I am locked out'), [password, username], { sentenceSimilarity: { pw: [0.3], user: [0.3] } })).toBe(password);
  });
});

