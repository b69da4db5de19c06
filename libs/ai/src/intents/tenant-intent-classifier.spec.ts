import { BACKGROUND_OFF_TOPIC } from './background-off-topic.data';
import { chooseThreshold } from './oos-threshold';
import { trainTenantIntentClassifier } from './tenant-intent-classifier';
import { BACKGROUND_GROUP, UNSEEN_INTENT_TEMPERATURE, UNSEEN_INTENTS_GROUP } from './unseen-intent-calibration';

/** A small shop's own intents, as a new tenant writes them: a few examples each, nothing off-topic. */
const SHOP = [
  ...['where is my parcel', 'my order has not arrived yet', 'track my delivery', 'when will my package come', 'has my order shipped', 'where is my order now'].map((text) => ({ text, intent: 'where_is_my_order' })),
  ...['I want to send this back', 'how do I return a jumper', 'can I return shoes that do not fit', 'return an item please', 'send back my order', 'I would like to return my dress'].map((text) => ({ text, intent: 'return_item' })),
  ...['my discount code does not work', 'the voucher is rejected', 'coupon code invalid', 'promo code not accepted', 'why is my code not working', 'my code was refused at checkout'].map((text) => ({ text, intent: 'discount_code' })),
];

describe("a new tenant's intent model", () => {
  it('turns away "what should I cook for dinner tonight?" though the shop wrote no off-topic example, and still knows "where is my parcel?"', async () => {
    const model = await trainTenantIntentClassifier(SHOP, { embeddings: null });

    expect(model.threshold).toBeGreaterThan(0);
    expect((await model.classify('what should I cook for dinner tonight?')).intent).toBeNull();
    expect((await model.classify('where is my parcel?')).intent).toBe('where_is_my_order');
  });

  it("chooses its threshold against its own intents left out in turn and against the background, and says how each kind fared", async () => {
    const model = await trainTenantIntentClassifier(SHOP, { embeddings: null });

    const choice = model.thresholdChoice;
    expect(choice?.temperature).toBe(UNSEEN_INTENT_TEMPERATURE);
    expect(model.temperature).toBe(UNSEEN_INTENT_TEMPERATURE);
    expect(Object.keys(choice?.oosRecallByGroup ?? {}).sort()).toEqual([BACKGROUND_GROUP, UNSEEN_INTENTS_GROUP].sort());
    // Three intents, three probes each without one: every shop example is out of scope once, the background once per probe.
    expect(choice?.validation?.outOfScope).toBe(SHOP.length + 3 * BACKGROUND_OFF_TOPIC.length);
    const parcel = await model.classify('where is my parcel?');
    expect(parcel.confidence).toBeGreaterThanOrEqual(model.threshold);
    expect(parcel.confidence).toBeLessThan(parcel.score);
  });

  it('picks the threshold with the best mean of in-scope accuracy and off-topic recall when asked to', () => {
    const inScope = [0.9, 0.8, 0.7, 0.35].map((score) => ({ score, predictedOos: false, correct: true }));
    const offTopic = [0.5, 0.4, 0.3, 0.2].map((score) => ({ score, predictedOos: false, correct: false }));

    const choice = chooseThreshold(inScope, offTopic, { balanced: true });

    // At 0.7: 3 of 4 in scope kept, all 4 off-topic rejected (mean 0.875); no other threshold does better.
    expect(choice.threshold).toBe(0.7);
    expect(choice.oosRecall).toBe(1);
  });
});
