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
