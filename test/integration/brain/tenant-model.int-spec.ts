import { SecretBox } from '@cs/config';
import { FakeOpenAi, type ChatRequest } from '../../fakes/openai/fake-openai';
import { BrainHarness } from './brain-harness';

const SECRET_KEY = 'brain-int-spec-secret-key-of-32-characters';

/** A faithful model: the first sentence of passage [1], cited. */
function firstSentenceOfPassageOne(request: ChatRequest): string {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const passage = /\[1\] [^\n]*\n([^\n]*)/.exec(user)?.[1] ?? '';
  return `${passage.split(/(?<=\.)\s/)[0]} [1]`;
}

/**
 * Per-tenant model settings (`llmProvider`, `llmBaseUrl`, sealed key, `llmModel`, `brandVoice`): a
 * shop with its own OpenAI-compatible endpoint is answered by it, in its voice; a shop without them
 * keeps the process-wide LLM_* default. Both endpoints are fakes on 127.0.0.1 speaking the wire protocol.
 */
describe("a tenant's own language model", () => {
  const serverDefault = new FakeOpenAi();
  const tenantOwn = new FakeOpenAi();
  const brain = new BrainHarness();
  let other: { tenantId: string; accountId: string };

  beforeAll(async () => {
    await serverDefault.start();
    await tenantOwn.start();
    serverDefault.script = firstSentenceOfPassageOne;
    tenantOwn.script = firstSentenceOfPassageOne;
    await brain.start('tenantmodel', { LLM_BASE_URL: serverDefault.baseURL, LLM_API_KEY: 'sk-server-default', LLM_MODEL: 'server-model' });
    other = await brain.otherShop('Other shop');
    const settings = {
      llmProvider: 'openai-compatible',
      llmBaseUrl: tenantOwn.baseURL,
      llmModel: 'shop-model-7',
      llmApiKeySealed: new SecretBox(SECRET_KEY).seal({ apiKey: 'sk-shop-own-key' }),
      brandVoice: 'Cheerful and brief; call customers "friend".',
    };
    await brain.ds.query(`UPDATE tenants SET settings = settings || $2::jsonb WHERE id = $1`, [brain.demo.tenantId, JSON.stringify(settings)]);
  }, 120_000);
  afterAll(async () => {
    await brain.stop();
    await tenantOwn.stop();
    await serverDefault.stop();
  });

  it("answers a shop with its own endpoint, model and key, with its brand voice in the prompt", async () => {
    const before = serverDefault.chatRequests().length;

    const reply = await brain.ask('how long does delivery take?');

    expect(reply.text).toMatch(/^Standard delivery takes 3 to 5 working days.*\[1\]$/);
    expect(reply.trace).toMatchObject({ generator: 'llm:shop-model-7', llm: { model: 'shop-model-7', endpoint: 'tenant' } });
    const request = tenantOwn.chatRequests().at(-1) as ChatRequest;
    expect(request.model).toBe('shop-model-7');
    expect(tenantOwn.requests.at(-1)?.authorization).toBe('Bearer sk-shop-own-key');
    expect(request.messages[0]).toMatchObject({ role: 'system' });
    expect(request.messages[0].content).toContain('Cheerful and brief; call customers "friend".');
    expect(serverDefault.chatRequests().length).toBe(before);
  });

  it('keeps another shop on the process-wide default endpoint and model, without that voice', async () => {
    const before = tenantOwn.chatRequests().length;

    const reply = await brain.ask('how long does delivery take?', brain.visitor(), other);

    expect(reply.text).toMatch(/^Standard delivery takes 3 to 5 working days.*\[1\]$/);
    expect(reply.trace).toMatchObject({ generator: 'llm:server-model', llm: { endpoint: 'default' } });
    const request = serverDefault.chatRequests().at(-1) as ChatRequest;
    expect(request.model).toBe('server-model');
    expect(serverDefault.requests.at(-1)?.authorization).toBe('Bearer sk-server-default');
    expect(request.messages[0].content).not.toContain('friend');
    expect(tenantOwn.chatRequests().length).toBe(before);
  });

  it('answers extractively, calling no model, for a shop whose provider is `extractive`', async () => {
    await brain.ds.query(`UPDATE tenants SET settings = settings || '{"llmProvider":"extractive"}'::jsonb WHERE id = $1`, [other.tenantId]);
    const calls = serverDefault.chatRequests().length + tenantOwn.chatRequests().length;

    const reply = await brain.ask('how long does delivery take?', brain.visitor(), other);

    expect(reply.trace).toMatchObject({ generator: 'extractive' });
    expect(reply.text).toMatch(/^Standard delivery takes 3 to 5 working days/);
    expect(serverDefault.chatRequests().length + tenantOwn.chatRequests().length).toBe(calls);
  });

  it('uses the default endpoint with the model a shop names, when it names no endpoint of its own', async () => {
    await brain.ds.query(`UPDATE tenants SET settings = settings - 'llmProvider' || '{"llmModel":"bigger-model"}'::jsonb WHERE id = $1`, [other.tenantId]);

    const reply = await brain.ask('how long does delivery take?', brain.visitor(), other);

    expect(reply.trace).toMatchObject({ generator: 'llm:bigger-model', llm: { endpoint: 'default' } });
    expect((serverDefault.chatRequests().at(-1) as ChatRequest).model).toBe('bigger-model');
  });
});
