import { UseLiteEmbeddingProvider } from '../embeddings/use-lite.embedding-provider';
import { trainBuiltinIntentClassifier } from './builtin-intent-classifier';
import { IntentClassifier } from './intent-classifier';

// One model for the whole file: loading USE-lite and training take a few seconds.
const embeddings = new UseLiteEmbeddingProvider();
let classifier: IntentClassifier;

beforeAll(async () => {
  classifier = await trainBuiltinIntentClassifier({ embeddings });
}, 60_000);

describe('IntentClassifier on the built-in e-commerce intents', () => {
  it.each([
    ["my parcel hasn't turned up, can you see where it is?", 'order_status'],
    ['I sent the boots back ages ago and the money is still not on my card', 'refund_status'],
    ["what's the charge for sending a parcel to Ireland", 'shipping_cost'],
    ['please get me someone real on the line', 'talk_to_person'],
    ['cheers, that sorted it', 'thanks'],
    ['I would like to call off the purchase I made an hour ago', 'cancel_order'],
    ['the kettle stopped heating after three weeks, is that covered', 'warranty_or_repair'],
    ['which size trousers for a 34 inch waist', 'size_guide'],
  ])('understands a paraphrase it never saw: %s', async (text, intent) => {
    const prediction = await classifier.classify(text);
    expect(prediction.intent).toBe(intent);
    expect(prediction.outOfScope).toBe(false);
  });

  it.each(['what is the best way to grow tomatoes on a balcony', 'who wrote the theory of relativity'])(
    'rejects an off-topic message as out of scope: %s',
    async (text) => {
      const prediction = await classifier.classify(text);
      expect(prediction.outOfScope).toBe(true);
      expect(prediction.intent).toBeNull();
    },
  );

  it('ranks the alternatives with scores that fall off', async () => {
    const { ranking } = await classifier.classify('where is my order #48211');
    expect(ranking[0].intent).toBe('order_status');
    expect(ranking.length).toBeGreaterThan(1);
    expect(ranking[0].score).toBeGreaterThan(ranking[1].score);
  });

  it('gives the same answers after a serialize / deserialize round trip through JSON', async () => {
    const copy = IntentClassifier.deserialize(JSON.parse(JSON.stringify(classifier.serialize())), embeddings);
    const text = 'can I still change the colour on my order';
    const [a, b] = [await classifier.classify(text), await copy.classify(text)];
    expect(b.intent).toBe(a.intent);
    expect(b.score).toBeCloseTo(a.score, 5);
    expect(copy.threshold).toBe(classifier.threshold);
  });

  it('refuses a serialized model with embeddings from another provider', () => {
    expect(() => IntentClassifier.deserialize(classifier.serialize(), null)).toThrow(/use-lite/);
  });

  it('learns a tenant intent from a handful of examples', async () => {
    const examples = [
      ...['do you engrave rings', 'can you add an engraving', 'is personal engraving possible', 'engrave my initials on it', 'can the bracelet be engraved', 'how much does engraving cost'].map((text) => ({ text, intent: 'engraving' })),
      ...['where is my order', 'has my order shipped', 'track my parcel', 'my order has not arrived', 'when will my package come', 'status of my order'].map((text) => ({ text, intent: 'order_status' })),
    ];
    const small = await IntentClassifier.train(examples, { embeddings });
    expect((await small.classify('could you put a name engraved on the necklace')).intent).toBe('engraving');
  });
});
