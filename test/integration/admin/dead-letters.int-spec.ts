import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import { deadLettersRecorded } from '@cs/config';
import { BusSubjects, makeEnvelope, newId } from '@cs/contracts';
import { PermanentError, type BusMessage } from '@cs/messaging';
import { DeadLetter } from '@cs/persistence';
import { testEnv, waitFor } from '@cs/testing';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../dist/apps/gateway/src/admin/cli/cli.js');

describe('dead letters: recorded with their reason, listed and replayed from the console and the CLI', () => {
  let t: AdminTestApp;
  let owner: SignedIn;
  let otherOwner: SignedIn;
  let agent: SignedIn;
  let tenantId: string;
  const env = testEnv('admindlq');
  /** What the failing consumer saw, and whether it fails: the cause an operator fixes before replaying. */
  const seen: BusMessage[] = [];
  let broken = true;
  // A durable subject of the map carrying a test payload, as a replayed dead letter's would.
  const subject = BusSubjects.replayTarget(BusSubjects.msgStatus('dltest', newId().replace(/-/g, '')));

  function cli(...args: string[]) {
    return run(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, NATS_URL: env.NATS_URL, BUS_PREFIX: env.BUS_PREFIX },
    });
  }

  beforeAll(async () => {
    t = await startAdminApp('admindlq');
    tenantId = (await createTenant(t.db, 'Shop A')).id;
    owner = await signIn(t, 'owner', tenantId);
    agent = await signIn(t, 'agent', tenantId);
    otherOwner = await signIn(t, 'owner', (await createTenant(t.db, 'Shop B')).id);
    await t.bus.consume({ durable: `dltest${newId().replace(/-/g, '')}`, filterSubjects: [subject], backoffMs: [20] }, async (m) => {
      seen.push(m);
      if (broken) throw new PermanentError(`order ${(m.envelope.data as { order: number }).order} has no customer`);
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function deadLettersOf(who: SignedIn) {
    const res = await t.http().get('/api/v1/dead-letters').set(who.auth).expect(200);
    return (res.body as { items: Array<Record<string, unknown>> }).items;
  }

  it('records a message a consumer gave up on with its reason, original subject, envelope and delivery count', async () => {
    const envelope = makeEnvelope('test', tenantId, { order: 42 });
    await t.bus.publish(subject, envelope);
    await waitFor(async () => (await t.db.manager.countBy(DeadLetter, { tenantId })) === 1);
    const items = await deadLettersOf(owner);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      originalSubject: subject,
      reason: 'order 42 has no customer',
      kind: 'permanent',
      deliveryCount: 1,
      replayedAt: null,
      replayCount: 0,
      envelope: { id: envelope.id, tenantId, data: { order: 42 } },
    });
    expect(seen).toHaveLength(1);
  });

  it('shows a tenant only its own dead letters, and only to admins and owners', async () => {
    expect(await deadLettersOf(otherOwner)).toEqual([]);
    await t.http().get('/api/v1/dead-letters').set(agent.auth).expect(403);
    const [mine] = await deadLettersOf(owner);
    await t.http().post(`/api/v1/dead-letters/${mine.id as string}/replay`).set(otherOwner.auth).expect(404);
    expect(seen).toHaveLength(1);
  });

  it('replays one dead letter on its original subject once the cause is fixed, and says so in the list', async () => {
    broken = false;
    const [mine] = await deadLettersOf(owner);
    const res = await t.http().post(`/api/v1/dead-letters/${mine.id as string}/replay`).set(owner.auth).expect(200);
    expect(res.body).toMatchObject({ id: mine.id, replayCount: 1 });
    await waitFor(() => seen.length === 2);
    expect(seen[1].envelope.id).toBe(seen[0].envelope.id);
    expect(seen[1].subject).toBe(subject);
    const [after] = await deadLettersOf(owner);
    expect(after.replayedAt).toEqual(expect.any(String));
    // Nothing left to replay for "all".
    const all = await t.http().post('/api/v1/dead-letters/replay').set(owner.auth).expect(200);
    expect(all.body).toEqual({ replayed: 0, ids: [] });
  });

  it('lists and replays from the CLI, replaying every dead letter not replayed yet', async () => {
    broken = true;
    await t.bus.publish(subject, makeEnvelope('test', tenantId, { order: 43 }));
    await waitFor(async () => (await t.db.manager.countBy(DeadLetter, { tenantId })) === 2);
    const listed = await cli('dead-letters', 'list', '--tenant', tenantId, '--pending');
    expect(listed.stdout).toContain('order 43 has no customer');
    expect(listed.stdout).not.toContain('order 42');
    expect(listed.stdout).toContain('1 dead letter(s)');
    broken = false;
    const replayed = await cli('dead-letters', 'replay', '--tenant', tenantId);
    expect(replayed.stdout).toContain('replayed 1 dead letter(s)');
    const of43 = () => seen.filter((m) => (m.envelope.data as { order: number }).order === 43);
    await waitFor(() => of43().length === 2);
    expect(of43()[1].envelope.id).toBe(of43()[0].envelope.id);
    const recorded = (await deadLettersRecorded.get()).values.find((v) => v.labels.kind === 'permanent')?.value ?? 0;
    expect(recorded).toBeGreaterThanOrEqual(2);
  });
});
