import { BusSubjects, MESSAGE_TYPES, makeEnvelope, newId, type ConversationEvent } from '@cs/contracts';
import { Conversation } from '@cs/persistence';
import { waitFor } from '@cs/testing';
import { HelpdeskJobs } from '../../../apps/gateway/src/admin/helpdesk/helpdesk-jobs.service';
import { RoundRobinService } from '../../../apps/gateway/src/admin/helpdesk/round-robin.service';
import { startSmtpSink, type SmtpSink } from '../email/smtp-sink.harness';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

/** Teams, round-robin assignment of hand-offs, staff emails and preferences, auto-close and the SLA (issue 17). */
describe('helpdesk basics', () => {
  let t: AdminTestApp;
  let smtp: SmtpSink;
  let tenantId: string;
  let owner: SignedIn;
  let ann: SignedIn;
  let bob: SignedIn;
  let cid: SignedIn;
  let other: SignedIn;
  let teamId: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startAdminApp('helpdesk', {
      env: { SMTP_URL: `smtp://${smtp.user}:${smtp.password}@${smtp.host}:${smtp.port}`, NOTIFY_FROM: 'Console <console@shop.test>', HELPDESK_JOB_INTERVAL_MS: '3600000' },
    });
    tenantId = (await createTenant(t.db)).id;
    [owner, ann, bob, cid] = await Promise.all([signIn(t, 'owner', tenantId), signIn(t, 'agent', tenantId), signIn(t, 'agent', tenantId), signIn(t, 'agent', tenantId)]);
    other = await signIn(t, 'owner', (await createTenant(t.db, 'Other shop')).id);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  /** What the agent publishes when it hands a conversation off. */
  const handOff = (conversationId: string) =>
    t.bus.publish(
      BusSubjects.convEvent('handoff', tenantId),
      makeEnvelope<ConversationEvent>(MESSAGE_TYPES.conversation, tenantId, { conversationId, channel: 'webchat', status: 'waiting', messageId: newId(), detail: { reason: 'customer_asked_for_person', summary: 'The customer asked for a person.' } }),
    );
  const waiting = async () => (await seedConversation(t.db, tenantId, { status: 'waiting' })).conversation;
  const assigneeOf = (id: string) => waitFor(async () => (await t.db.manager.findOneByOrFail(Conversation, { id })).assigneeId, { what: `conversation ${id} assigned` });
  const mailsTo = (email: string) => smtp.mails.filter((m) => m.envelopeTo.includes(email));

  it('creates a team of active staff, names the field of bad input, and keeps it from other tenants', async () => {
    const unknown = newId();
    const bad = await t.http().post('/api/v1/teams').set(owner.auth).send({ name: 'Support', memberIds: [ann.userId, unknown] }).expect(400);
    expect(JSON.stringify(bad.body.error.fields)).toContain('memberIds');
    const noName = await t.http().post('/api/v1/teams').set(owner.auth).send({ memberIds: [] }).expect(400);
    expect(JSON.stringify(noName.body.error.fields)).toContain('name');
    await t.http().post('/api/v1/teams').set(ann.auth).send({ name: 'Support' }).expect(403);
    // Another tenant's user is not staff of this tenant.
    await t.http().post('/api/v1/teams').set(owner.auth).send({ name: 'Support', memberIds: [other.userId] }).expect(400);

    const created = await t.http().post('/api/v1/teams').set(owner.auth).send({ name: 'Support', receivesHandoffs: true, memberIds: [ann.userId, bob.userId, cid.userId] }).expect(201);
    teamId = created.body.id;
    expect(created.body.members.map((m: { id: string }) => m.id).sort()).toEqual([ann.userId, bob.userId, cid.userId].sort());
    await t.http().post('/api/v1/teams').set(owner.auth).send({ name: 'Support' }).expect(409);

    await t.http().get(`/api/v1/teams/${teamId}`).set(other.auth).expect(404);
    await t.http().patch(`/api/v1/teams/${teamId}`).set(other.auth).send({ name: 'Mine' }).expect(404);
    await t.http().delete(`/api/v1/teams/${teamId}`).set(other.auth).expect(404);
    expect((await t.http().get('/api/v1/teams').set(other.auth).expect(200)).body.items).toEqual([]);
    expect((await t.http().get('/api/v1/teams').set(ann.auth).expect(200)).body.items.map((team: { id: string }) => team.id)).toEqual([teamId]);
  });

  it('assigns hand-offs round-robin among the available members, two at the same moment to two people, never to one who is away', async () => {
    const away = await t.http().patch('/api/v1/preferences').set(cid.auth).send({ availability: 'away' }).expect(200);
    expect(away.body).toEqual({ availability: 'away', browser: true, sound: true, email: true });
    await t.http().patch('/api/v1/preferences').set(cid.auth).send({ availability: 'busy' }).expect(400);

    // Two hand-offs on the bus at once (the durable consumer), and two routed directly at once (as two gateway processes would).
    const [first, second, third, fourth] = await Promise.all([waiting(), waiting(), waiting(), waiting()]);
    await Promise.all([handOff(first.id), handOff(second.id)]);
    const viaBus = await Promise.all([assigneeOf(first.id), assigneeOf(second.id)]);
    const router = t.app.get(RoundRobinService);
    const direct = await Promise.all([router.route(tenantId, third.id, new Date()), router.route(tenantId, fourth.id, new Date())]);
    expect(new Set(viaBus)).toEqual(new Set([ann.userId, bob.userId]));
    expect(new Set(direct.map((r) => r?.assigneeId))).toEqual(new Set([ann.userId, bob.userId]));

    const row = await t.db.manager.findOneByOrFail(Conversation, { id: first.id });
    expect(row).toMatchObject({ status: 'assigned', teamId });
    expect(row.waitingSince).toBeInstanceOf(Date);
    // A redelivered hand-off changes nothing.
    const again = await router.route(tenantId, first.id, new Date());
    expect(again).toMatchObject({ assigned: false, assigneeId: row.assigneeId });
  });

  it('emails the assignee of a hand-off through the SMTP server, and not once they turned email off', async () => {
    await waitFor(() => mailsTo(ann.email).length >= 1 && mailsTo(bob.email).length >= 1, { what: 'hand-off emails to both assignees' });
    const mail = mailsTo(ann.email)[0].parsed;
    expect(mail.subject).toMatch(/^Handed off to you: Ada Customer on webchat$/);
    expect(mail.text).toContain('The customer asked for a person.');
    expect(mail.text).toMatch(/\/console\/inbox\/[0-9a-f-]{36}/);

    await t.http().patch('/api/v1/preferences').set(ann.auth).send({ email: false }).expect(200);
    const [a, b] = [await waiting(), await waiting()];
    const before = { ann: mailsTo(ann.email).length, bob: mailsTo(bob.email).length };
    await handOff(a.id);
    await handOff(b.id);
    const assignees = [await assigneeOf(a.id), await assigneeOf(b.id)];
    expect(new Set(assignees)).toEqual(new Set([ann.userId, bob.userId]));
    await waitFor(() => mailsTo(bob.email).length > before.bob, { what: 'the email to Bob' });
    expect(mailsTo(ann.email).length).toBe(before.ann);

    // The customer writes into Bob's conversation: Bob is told, once.
    const bobs = assignees[0] === bob.userId ? a : b;
    const messageId = newId();
    const count = mailsTo(bob.email).length;
    for (let i = 0; i < 2; i++) t.bus.emit(BusSubjects.convMessage(tenantId), { conversationId: bobs.id, channel: 'webchat', messageId, detail: { direction: 'in', authorKind: 'contact', text: 'Any news on my parcel?' } });
    await waitFor(() => mailsTo(bob.email).length > count, { what: 'the email about the customer’s message' });
    expect(mailsTo(bob.email).at(-1)?.parsed.text).toContain('Any news on my parcel?');
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(bob.email).length).toBe(count + 1);
    await t.http().patch('/api/v1/preferences').set(ann.auth).send({ email: true }).expect(200);
  });

  it('flags a customer waiting past the tenant’s SLA once, and shows the time waiting in the inbox', async () => {
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ slaMinutes: 0 }).expect(400);
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ slaMinutes: 5 }).expect(200);
    const late = await waiting();
    const fresh = await waiting();
    await t.db.query(`UPDATE conversations SET waiting_since = now() - interval '10 minutes' WHERE id = $1`, [late.id]);
    await t.db.query(`UPDATE conversations SET waiting_since = now() - interval '1 minute' WHERE id = $1`, [fresh.id]);
    const jobs = t.app.get(HelpdeskJobs);
    const runs = await Promise.all([jobs.slaBreaches(), jobs.slaBreaches()]);
    expect(runs.flat().filter((id) => id === late.id)).toHaveLength(1);
    expect(runs.flat()).not.toContain(fresh.id);
    expect(await jobs.slaBreaches()).not.toContain(late.id);

    const inbox = await t.http().get('/api/v1/conversations?status=waiting&limit=100').set(ann.auth).expect(200);
    const row = inbox.body.items.find((c: { id: string }) => c.id === late.id);
    expect(row.waitingSeconds).toBeGreaterThanOrEqual(600);
    expect(row.slaBreachedAt).not.toBeNull();
    expect(inbox.body.items.find((c: { id: string }) => c.id === fresh.id).slaBreachedAt).toBeNull();
    // Resolving stops the clock.
    await t.http().post(`/api/v1/conversations/${late.id}/resolve`).set(ann.auth).expect(200);
    expect((await t.http().get(`/api/v1/conversations/${late.id}`).set(ann.auth).expect(200)).body.waitingSeconds).toBeNull();
  });

  it('closes resolved conversations idle past the tenant’s auto-close time, once, whichever process runs the job', async () => {
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ autoCloseAfterHours: 'soon' }).expect(400);
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ autoCloseAfterHours: 24 }).expect(200);
    const idle = (await seedConversation(t.db, tenantId, { status: 'resolved' })).conversation;
    const recent = (await seedConversation(t.db, tenantId, { status: 'resolved' })).conversation;
    const open = (await seedConversation(t.db, tenantId, { status: 'bot' })).conversation;
    await t.db.query(`UPDATE conversations SET resolved_at = now() - interval '30 hours', last_message_at = now() - interval '30 hours' WHERE id = ANY($1::uuid[])`, [[idle.id, open.id]]);
    await t.db.query(`UPDATE conversations SET resolved_at = now() - interval '2 hours' WHERE id = $1`, [recent.id]);
    // Another tenant without the setting keeps its conversations.
    const elsewhere = (await seedConversation(t.db, other.tenantId as string, { status: 'resolved' })).conversation;
    await t.db.query(`UPDATE conversations SET resolved_at = now() - interval '300 hours', last_message_at = now() - interval '300 hours' WHERE id = $1`, [elsewhere.id]);

    const jobs = t.app.get(HelpdeskJobs);
    const runs = await Promise.all([jobs.autoClose(), jobs.autoClose()]);
    expect(runs.flat().filter((id) => id === idle.id)).toHaveLength(1);
    for (const id of [recent.id, open.id, elsewhere.id]) expect(runs.flat()).not.toContain(id);
    const closed = await t.db.manager.findOneByOrFail(Conversation, { id: idle.id });
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect((await t.db.manager.findOneByOrFail(Conversation, { id: recent.id })).closedAt).toBeNull();
    // Reopened by staff: no longer closed.
    await t.http().post(`/api/v1/conversations/${idle.id}/reopen`).set(owner.auth).expect(200);
    expect((await t.db.manager.findOneByOrFail(Conversation, { id: idle.id })).closedAt).toBeNull();
  });
  it('leaves a hand-off waiting for the team when every member is away, and emails the team', async () => {
    await Promise.all([ann, bob].map((who) => t.http().patch('/api/v1/preferences').set(who.auth).send({ availability: 'away' }).expect(200)));
    const before = { ann: mailsTo(ann.email).length, bob: mailsTo(bob.email).length, cid: mailsTo(cid.email).length };
    const conversation = await waiting();
    await handOff(conversation.id);
    await waitFor(() => mailsTo(ann.email).length > before.ann && mailsTo(bob.email).length > before.bob && mailsTo(cid.email).length > before.cid, { what: 'the team’s emails' });
    expect(mailsTo(cid.email).at(-1)?.parsed.subject).toBe('Handed off to your team: Ada Customer on webchat');
    expect(await t.db.manager.findOneByOrFail(Conversation, { id: conversation.id })).toMatchObject({ status: 'waiting', assigneeId: null, teamId });
  });
});
