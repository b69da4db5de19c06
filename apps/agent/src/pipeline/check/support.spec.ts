import { measureSupport } from './support';
import { foreignPersonalData } from './personal-data';

const DELIVERY = 'Standard delivery takes 3 to 5 working days within the United Kingdom. Express delivery takes 1 to 2 working days.';
const CONTACT = 'Email us at help@demo.shop or call 0800 123 4567, Monday to Friday.';

describe('whether each sentence of a model answer is supported by the passage it cites', () => {
  it('accepts a faithful paraphrase that cites its passage', () => {
    const [sentence] = measureSupport('Standard delivery within the United Kingdom takes 3 to 5 working days [1].', [DELIVERY]);

    expect(sentence).toMatchObject({ supported: true, citations: [1], unsupportedNumbers: [] });
  });

  it('rejects a sentence whose number is not in the passage, even if every word is', () => {
    const [sentence] = measureSupport('Standard delivery takes 7 working days [1].', [DELIVERY]);

    expect(sentence).toMatchObject({ supported: false, unsupportedNumbers: ['7'] });
  });

  it('rejects a sentence that talks about something the passage never mentions', () => {
    const sentences = measureSupport('Express delivery takes 1 to 2 working days [1]. Every order comes with a free umbrella and chocolates [1].', [DELIVERY]);

    expect(sentences.map((s) => s.supported)).toEqual([true, false]);
  });

  it('rejects a sentence without a citation, and a citation of a passage that does not exist', () => {
    expect(measureSupport('Express delivery takes 1 to 2 working days.', [DELIVERY])[0].supported).toBe(false);
    expect(measureSupport('Express delivery takes 1 to 2 working days [4].', [DELIVERY])[0].supported).toBe(false);
  });

  describe('a real number from the passage, attached to the wrong fact', () => {
    const POLICY = 'Returns are accepted within 30 days. Standard delivery takes 3-5 working days.';

    it('rejects it, naming the passage sentence the words come from and the number that is not there', () => {
      const [sentence] = measureSupport('Returns are accepted within 5 days [1].', [POLICY]);

      expect(sentence).toMatchObject({
        supported: false,
        reason: 'misattributed_number',
        source: { passage: 1, text: 'Returns are accepted within 30 days.' },
        unsupportedNumbers: [],
        misplacedNumbers: ['5'],
      });
    });

    it('accepts the same sentence with the number its fact carries, however the number is written', () => {
      expect(measureSupport('Returns are accepted within 30 days [1].', [POLICY])[0]).toMatchObject({ supported: true, source: { text: 'Returns are accepted within 30 days.' } });
      expect(measureSupport('We accept returns within thirty days [1].', [POLICY])[0].supported).toBe(true);
      expect(measureSupport('There is a 30-day returns window [1].', ['You have 30 days to return an item and the returns window starts on delivery.'])[0].supported).toBe(true);
      expect(measureSupport('Standard delivery costs 4.95 [1].', ['Standard delivery costs £4.95.'])[0].supported).toBe(true);
    });

    it('rejects a subject swapped between two sentences that share the rest of their words', () => {
      const [sentence] = measureSupport('Express delivery takes 3 to 5 working days [1].', [DELIVERY]);

      expect(sentence).toMatchObject({ supported: false, reason: 'misattributed_number', misplacedNumbers: ['3', '5'] });
    });

    it('rejects a number written as a word when it belongs to another fact', () => {
      expect(measureSupport('Returns are accepted within five days [1].', [POLICY])[0]).toMatchObject({ supported: false, misplacedNumbers: ['5'] });
    });
  });

  it('accepts a sentence that merges two adjacent passage sentences, each part with its own numbers', () => {
    const [sentence] = measureSupport('Standard delivery takes 3 to 5 working days within the United Kingdom, while express delivery takes 1 to 2 [1].', [DELIVERY]);

    expect(sentence).toMatchObject({ supported: true, source: { passage: 1, text: DELIVERY } });
  });

  it('rejects a merged sentence that swaps the numbers of the two facts it merges', () => {
    const [sentence] = measureSupport('Standard delivery takes 1 to 2 working days within the United Kingdom, while express delivery takes 3 to 5 [1].', [DELIVERY]);

    expect(sentence).toMatchObject({ supported: false, reason: 'misattributed_number' });
  });

  it('still rejects an invented number, and says so', () => {
    const [sentence] = measureSupport('Returns are accepted within 45 days [1].', ['Returns are accepted within 30 days. Standard delivery takes 3-5 working days.']);

    expect(sentence).toMatchObject({ supported: false, reason: 'invented_number', unsupportedNumbers: ['45'] });
  });
});

describe('personal data in an answer', () => {
  it("allows the customer's own email and the shop's contact details from the knowledge base", () => {
    expect(foreignPersonalData('We will write to sam@example.com. You can also email help@demo.shop.', ['my email is sam@example.com', CONTACT])).toEqual([]);
  });

  it("flags another person's email, phone number or order number", () => {
    const foreign = foreignPersonalData('Ask jane@elsewhere.example, call +44 7700 900123 or see order #48213.', ['where is my order?', CONTACT]);

    expect(foreign).toEqual(expect.arrayContaining(['email:jane@elsewhere.example', expect.stringMatching(/^phone:/), expect.stringMatching(/^order_number:/)]));
  });
});
