import { BACKGROUND_OFF_TOPIC } from './background-off-topic.data';
import { BUILTIN_OUT_OF_SCOPE_EXAMPLES } from './builtin-intents.data';
import { trainBuiltinIntentClassifier } from './builtin-intent-classifier';
import { BACKGROUND_GROUP, UNSEEN_INTENTS_GROUP } from './unseen-intent-calibration';

/** A shop's own intent beside the built-in ones, as the agent trains a tenant's model. */
const GIFT_WRAP = ['can you gift wrap my order', 'is gift wrapping available', 'wrap it as a present please', 'do you offer gift wrap', 'add gift wrapping to my parcel', 'I want it wrapped as a gift'].map(
  (text) => ({ text, intent: 'gift_wrap' }),
);

describe("the agent's intent model (built-in intents plus the shop's)", () => {
  it('chooses its out-of-scope threshold against our background off-topic messages too, and says on how many', async () => {
    const model = await trainBuiltinIntentClassifier({ embeddings: null, extraExamples: GIFT_WRAP, calibration: 'background' });

    const choice = model.thresholdChoice;
    expect(choice?.rule).toBe('max mean of in-scope accuracy and OOS recall');
    // The held-out half of the built-in off-topic examples, and the whole background (no embeddings: none left out).
    expect(choice?.validation?.outOfScope).toBe(Math.floor(BUILTIN_OUT_OF_SCOPE_EXAMPLES.length / 2) + BACKGROUND_OFF_TOPIC.length);
    expect(model.threshold).toBe(choice?.threshold);
    expect((await model.classify('can you gift wrap my order please')).intent).toBe('gift_wrap');
  });

  it("with `unseen-intents`, also turns away what the probes were trained without: each intent's examples while it is left out", async () => {
    const model = await trainBuiltinIntentClassifier({ embeddings: null, extraExamples: GIFT_WRAP, calibration: 'unseen-intents' });

    const choice = model.thresholdChoice;
    expect(choice?.rule).toMatch(/^max mean of in-scope accuracy and OOS recall \(mean over kinds of off-topic message\)/);
    expect(choice?.oosRecallByGroup).toEqual({ [UNSEEN_INTENTS_GROUP]: expect.any(Number), [BACKGROUND_GROUP]: expect.any(Number) });
    expect(model.threshold).toBe(choice?.threshold);
    expect((await model.classify('can you gift wrap my order please')).intent).toBe('gift_wrap');
  });

  it('keeps the accuracy budget by default', async () => {
    const model = await trainBuiltinIntentClassifier({ embeddings: null, extraExamples: GIFT_WRAP });

    expect(model.thresholdChoice?.rule).toBe('highest threshold within 0.02 of in-scope validation accuracy');
    expect(model.thresholdChoice?.validation?.outOfScope).toBe(Math.floor(BUILTIN_OUT_OF_SCOPE_EXAMPLES.length / 2));
  });
});
