import { newId } from '@cs/contracts';
import { ConversationReopen, Conversation, Message } from '@cs/persistence';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from '../admin/admin-test-app';

/**
 * One definition of how a conversation ended, for analytics and experiments alike (issue 18): a
 * staff resolve is not a confirmed resolution, and a resolved conversation that came back — the
 * customer writing again, or staff reopening it — is a reopen, the customer's counted apart.
 */
describe('conversation outcomes shared by analytics and experiments', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await startAdminApp('outcomes');
    tenantId = (await createTenant(t.db, 'Outcome shop')).id;
    owner = await signIn(t, 'admin', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A bot-answered conversation in the experiment's control arm; `confirmed`: the customer said "This solved it". */
  async function answered(experimentId: string, confirmed: boolean): Promise<string> {
    const id = newId();
    await t.db.manager.save(t.db.manager.create(Conversation, { id, tenantId, contactId: newId(), channel: 'webchat', connectorId: 'webchat', status: confirmed ? 'resolved' : 'bot', channelData: {} }));
    const message = (direction: 'in' | 'out', text: string, extra: Partial<Message> = {}) =>
      t.db.manager.create(Message, { id: newId(), tenantId, conversationId: id, direction, authorKind: direction === 'in' ? 'contact' : 'bot', connectorId: 'webchat', text, parts: [], channelData: {}, ...extra });
    const question = message('in', 'how long does delivery take?');
    await t.db.manager.save(question);
    await t.db.manager.save(message('out', 'Two days.', { replyToMessageId: question.id, trace: { intent: 'shipping_time', experiment: { id: experimentId, setting: 'brandVoice', arm: 'control' } } }));
    if (confirmed) await t.db.manager.save(message('in', 'This solved it', { channelData: { action: 'resolved' } }));
    return id;
  }

  it('counts only the customer’s confirmation as confirmed, and reopens by the customer and by staff, the same in both reports', async () => {
    const experiment = (
      await t.http().post('/api/v1/experiments').set(owner.auth).send({ name: 'Voice', setting: 'brandVoice', arms: [{ name: 'control', value: null }, { name: 'b', value: 'Cheerful.' }] }).expect(201)
    ).body;
    const closedByStaff = await answered(experiment.id, false);
    await t.http().post(`/api/v1/conversations/${closedByStaff}/resolve`).set(owner.auth).expect(200);
    await answered(experiment.id, true);
    // The customer confirmed, then wrote again the next day: the agent recorded the reopen and set it back to the bot.
    const cameBack = await answered(experiment.id, true);
    await t.db.manager.update(Conversation, { id: cameBack }, { status: 'bot' });
    await t.db.manager.save(t.db.manager.create(ConversationReopen, { id: newId(), tenantId, conversationId: cameBack, by: 'customer', messageId: newId(), resolvedAt: new Date() }));
    const reopenedByStaff = await answered(experiment.id, false);
    await t.http().post(`/api/v1/conversations/${reopenedByStaff}/resolve`).set(owner.auth).expect(200);
    await t.http().post(`/api/v1/conversations/${reopenedByStaff}/reopen`).set(owner.auth).expect(200);

    const report = (await t.http().get(`/api/v1/experiments/${experiment.id}`).set(owner.auth).expect(200)).body;
    expect(report.results[0]).toMatchObject({ name: 'control', conversations: 4, automatedResolution: { confirmed: 1, assumed: 0 }, reopenRate: 0.5, customerReopenRate: 0.25 });
    const analytics = (await t.http().get('/api/v1/analytics').query({ from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }).set(owner.auth).expect(200)).body;
    expect(analytics).toMatchObject({ conversations: 4, automatedResolution: { confirmed: 1, assumed: 0 }, reopened: { conversations: 2, byCustomer: 1, rate: 0.5 } });
  });
});
