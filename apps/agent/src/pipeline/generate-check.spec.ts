import type { Passage } from '@cs/knowledge';
import { CheckService } from './check/check.service';
import { GenerateService } from './generate/generate.service';
import { turnOf } from './turn.fixture';

function passage(title: string, content: string, url: string | null = null): Passage {
  return { chunkId: `${title}-1`, articleId: title, title, slug: title.toLowerCase(), url, heading: '', content, score: 0.9 };
}

/*
 * What one stage writes, the next must accept: here rather than in generate/ or check/, because a
 * stage imports no other stage (TurnService is where they meet).
 */
describe("the agent's own replies, in the customer's language", () => {
  const generate = new GenerateService();

  it('labels the article link in the language of the answer, and the answer still counts as grounded', () => {
    const best = passage('Lieferzeiten', 'Die Lieferung nach Deutschland dauert 4 bis 7 Werktage. Die Sendung ist immer versichert.', 'https://shop.example/kb/lieferzeiten');
    const turn = turnOf('Wie lange dauert die Lieferung nach Deutschland?');

    const draft = generate.answer(turn, best, 'de');
    const result = new CheckService().check({ retrieval: { passages: [best], rejected: [], threshold: 0.5 }, draft, maxLength: generate.maxLength(turn), customerText: turn.text });

    expect(draft.text).toMatch(/\n\nMehr dazu: https:\/\/shop\.example\/kb\/lieferzeiten$/);
    expect(result.checks).toContainEqual({ name: 'grounded', passed: true });
  });
});

describe('an answer that does not answer the question is handed off', () => {
  const generate = new GenerateService();
  const check = (text: string, best: Passage, similarity: number[]) => {
    const turn = turnOf(text);
    const retrieval = { passages: [best], rejected: [], threshold: 0.45, sentenceSimilarity: { [best.chunkId]: similarity } };
    const draft = generate.answer(turn, best, 'en', retrieval);
    return new CheckService().check({ retrieval, draft, maxLength: generate.maxLength(turn), customerText: turn.text }).checks.find((c) => c.name === 'answers_question');
  };

  it('when "how much is express delivery?" finds only a sentence about express delivery with no price in it', () => {
    const best = passage('Delivery', 'Express delivery is available for most addresses in the United Kingdom.');

    expect(check('How much is express delivery?', best, [0.7])).toMatchObject({ passed: false, detail: { amount: false } });
  });

  it('when the best sentence only shares a word with the question and means something else', () => {
    const best = passage('Gift cards', 'Gift cards are valid for two years from purchase.');

    expect(check('Do you sell gift wrapping paper?', best, [0.3])).toMatchObject({ passed: false });
  });

  it('and answers when the sentence states what was asked', () => {
    const best = passage('Delivery', 'Express delivery costs £7.95 and arrives the next working day.');

    expect(check('How much is express delivery?', best, [0.7])).toMatchObject({ passed: true, detail: { amount: true } });
  });
});

