import { distinct } from './retrieve.service';

const RULES = 'Club members have 60 days to return an item.\n\n- Without a membership you have 14 days.';

describe('passages a shop repeats in several articles', () => {
  it('count once: "how long do I have to return a dress that is too small?" is not asked back as "the size article or the colour article?"', () => {
    const passages = [
      { articleId: 'return-wrong-size', content: RULES, score: 0.8 },
      { articleId: 'return-wrong-colour', content: `${RULES.replace('\n\n', '\n\n ')}`, score: 0.8 },
      { articleId: 'refunds', content: 'Refunds reach your card within 5 working days.', score: 0.6 },
    ];

    expect(distinct(passages).map((p) => p.articleId)).toEqual(['return-wrong-size', 'refunds']);
  });

  it('keeps passages that differ in a single word: those are different answers', () => {
    const passages = [
      { articleId: 'a', content: 'Club members have 60 days to return an item.' },
      { articleId: 'b', content: 'Club members have 30 days to return an item.' },
    ];

    expect(distinct(passages)).toHaveLength(2);
  });
});
