import { BusSubjects, replyOutcomeOf, type AgentTryReply } from '@cs/contracts';
import { runConnectBackend } from '../../../apps/agent/src/actions/connect-backend.cli';
import { FakeRestShop, restShopDeclaration, type RestShopOrder } from '../../fakes/rest-shop/fake-rest-shop';
import { BrainHarness } from './brain-harness';

const SECRET_KEY = 'brain-int-spec-secret-key-of-32-characters';

/** Customers' first messages to the demo shop: answers, hand-offs, off-topic, small talk (orders are added below). */
const QUESTIONS = [
  'how long does delivery take?',
  'do you ship to Canada?',
  'what does international shipping cost?',
  'will I have to pay customs duties?',
  'is there free shipping?',
  'can I split my order into two shipments?',
  'how do I return an item?',
  'is return shipping free?',
  'which items cannot be returned?',
  'when will I get my refund?',
  'my refund has not arrived yet',
  'how do I exchange a jumper for a bigger size?',
  'what if the size I want is out of stock?',
  'can I pay with PayPal?',
  'when is my card charged?',
  'can I pay cash on delivery?',
  'why was my card declined?',
  'I was charged twice for one order',
  'how do I use a gift card?',
  'how long is a gift card valid?',
  'I lost my gift card',
  'my discount code does not work',
  'can I use two discount codes at once?',
  'do you have a student discount?',
  'I forgot my password',
  'how do I delete my account?',
  'can I order without an account?',
  'what are your opening hours?',
  'how can I reach you by phone?',
  'how do I find my shoe size?',
  'can I tumble dry the cotton shirt?',
  'how do I clean leather boots?',
  'what does the warranty cover?',
  'my item arrived damaged',
  'how long does a repair take?',
  'can my friend collect my click and collect order?',
  'how long will the shop keep my order?',
  'can I return an online order in a shop?',
  'how do I get a copy of my personal data?',
  'how do I unsubscribe from your emails?',
  'can you gift wrap my order?',
  'we want to order 500 units for our company',
  'will it snow on saturday?',
  'who wrote pride and prejudice?',
  'do you sell submarines?',
  'hi there',
  'thanks a lot',
  'I want to speak to a human',
];

/**
 * "Try it" is the agent: the console's question over `agent.try` and a customer's first message on
 * web chat get the same decision and the same words, order look-ups included, and the try stores
 * nothing and does nothing on the shop.
 */
describe('"try it" and the real agent agree', () => {
  const brain = new BrainHarness();
  let shop: FakeRestShop;

  beforeAll(async () => {
    shop = await new FakeRestShop().start();
    await brain.start('tryagrees');
    await runConnectBackend(
      [
        '--tenant',
        brain.demo.tenantId,
        '--backend',
        'http',
        '--name',
        'Our shop',
        '--settings',
        JSON.stringify(restShopDeclaration(shop.baseUrl)),
      ],
      { DATABASE_URL: (brain.ds.options as { url: string }).url, SECRET_KEY, ACTION_BACKEND_SECRETS: JSON.stringify({ authValue: `Bearer ${shop.token}` }) },
    );
  }, 120_000);

  afterAll(async () => {
    await brain.stop();
    await shop?.stop();
  });

  const tryIt = (question: string) => brain.bus.request(BusSubjects.agentTry(), { tenantId: brain.demo.tenantId, question, channel: 'webchat' }, 60_000) as Promise<AgentTryReply>;

  it('gives the same decision and answer to 50 questions, order look-ups and a cancellation included, and the try changes nothing', async () => {
    const orders = [...shop.orders.values()];
    const shipped = orders.find((o) => o.state === 'processed' && o.shipments.length > 0) as RestShopOrder;
    const pending = orders.find((o) => o.state === 'pending') as RestShopOrder;
    const questions = [...QUESTIONS, `where is my order #${shipped.number}? my email is ${shipped.email}`, `please cancel order #${pending.number}, my email is ${pending.email}`];
    expect(questions).toHaveLength(50);

    const flowsBefore = await brain.ds.query('SELECT count(*)::int AS n FROM action_flows');
    const tried: AgentTryReply[] = [];
    for (const question of questions) tried.push(await tryIt(question));
    // The tries kept no action's progress, called no shop write, stored no conversation.
    expect(await brain.ds.query('SELECT count(*)::int AS n FROM action_flows')).toEqual(flowsBefore);
    expect(shop.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await brain.ds.query('SELECT count(*)::int AS n FROM conversations WHERE tenant_id = $1', [brain.demo.tenantId])).toEqual([{ n: 0 }]);

    const disagreements: string[] = [];
    for (const [i, question] of questions.entries()) {
      const real = await brain.ask(question);
      const tryReply = tried[i];
      if (!tryReply.ok) throw new Error(`try failed for "${question}": ${tryReply.error}`);
      const same = JSON.stringify(tryReply.outcome) === JSON.stringify(replyOutcomeOf(real.trace)) && tryReply.answer === real.text;
      if (!same) disagreements.push(`"${question}": try ${JSON.stringify(tryReply.outcome)} "${tryReply.answer}" / agent ${JSON.stringify(replyOutcomeOf(real.trace))} "${real.text}"`);
    }
    expect(disagreements).toEqual([]);

    // The set covers what a customer meets: answers, hand-offs, small talk and the shop's own replies.
    const reasons = new Set(tried.map((t) => (t.ok ? `${t.outcome?.kind}:${t.outcome?.reason}` : 'error')));
    expect([...reasons]).toEqual(expect.arrayContaining(['answered:answered', 'answered:smalltalk', 'answered:action', 'handoff:customer_asked_for_person']));
    expect(tried.filter((t) => t.ok && t.outcome?.kind === 'handoff').length).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
