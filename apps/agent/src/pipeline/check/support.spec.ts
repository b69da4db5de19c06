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
