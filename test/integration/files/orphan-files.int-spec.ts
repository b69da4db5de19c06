import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { openDataSource } from '@cs/persistence';
import { AttachmentStore, OrphanFiles, attachmentKey, type ObjectStorage, type S3Storage } from '@cs/storage';
import { startS3Server, testEnv } from '@cs/testing';
import { OrphanFilesJob } from '../../../apps/agent/src/files/orphan-files.job';

jest.setTimeout(120_000);
const GRACE_HOURS = 24;
const PDF = (n: number | string) => Buffer.from(`%PDF-1.4\n% file ${n}\n%%EOF\n`);

/**
 * Files whose message never came (a crash between the upload and the message's insert, a widget
 * upload whose chat message was refused) are deleted after the grace period, from the S3-speaking
 * store (s3rver) and from PostgreSQL, by a sweep that several agents may run at once.
 */
describe('the orphan-file sweep on PostgreSQL and s3rver', () => {
  let ds: DataSource;
  let other: DataSource;
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let storage: S3Storage;
  let files: AttachmentStore;
  const tenantId = newId();

  beforeAll(async () => {
    ds = await openDataSource({ databaseUrl: testEnv().DATABASE_URL, poolSize: 4 }, { migrate: false });
    other = await openDataSource({ databaseUrl: testEnv().DATABASE_URL, poolSize: 4 }, { migrate: false });
    s3 = await startS3Server();
    storage = s3.storage();
    files = new AttachmentStore(ds, storage, { linkTtlSeconds: 60 });
    await ds.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Orphans', $2)`, [tenantId, `orphans-${tenantId}`]);
  });
  afterAll(async () => {
    await s3?.close();
    await other?.destroy();
    await ds?.destroy();
  });

  async function stored(n: number | string, link: { messageId?: string; conversationId?: string } = {}): Promise<string> {
    const id = newId();
    await files.save({ id, tenantId, name: `file-${n}.pdf`, mimeType: 'application/pdf', content: PDF(n), ...link });
    return id;
  }
  const age = (ids: string[], hours: number) => ds.query(`UPDATE attachments SET created_at = now() - make_interval(hours => $2) WHERE id = ANY($1::uuid[])`, [ids, hours]);
  const rowsOf = async (ids: string[]) => ((await ds.query(`SELECT id FROM attachments WHERE id = ANY($1::uuid[])`, [ids])) as { id: string }[]).map((r) => r.id).sort();
  const bytesOf = (id: string) => storage.get(attachmentKey(tenantId, id));
  const sweep = (db: DataSource = ds) => new OrphanFiles(db, storage).sweep(GRACE_HOURS * 3600);

  it('deletes a file no message names once past the grace period, object and row, and keeps every other file', async () => {
    const orphan = await stored('orphan');
    const young = await stored('young');
    const linked = await stored('linked', { messageId: newId() });
    const recording = await stored('recording', { conversationId: newId() });
    await age([orphan, linked, recording], GRACE_HOURS + 1);
    await age([young], GRACE_HOURS - 1);

    await sweep();

    expect(await rowsOf([orphan, young, linked, recording])).toEqual([young, linked, recording].sort());
    expect(await bytesOf(orphan)).toBeNull();
    expect(await bytesOf(young)).toEqual(PDF('young'));
    expect(await bytesOf(linked)).toEqual(PDF('linked'));
    expect(await bytesOf(recording)).toEqual(PDF('recording'));
  });

  it('is safe when two processes sweep at once: every orphan goes, object and row, and neither fails', async () => {
    const orphans = await Promise.all(Array.from({ length: 450 }, (_, i) => stored(`many-${i}`)));
    await age(orphans, GRACE_HOURS + 2);

    // Two sweeps over the same rows at once, on two connection pools: both finish without an error
    // (no deadlock, no "already deleted"), and every orphan is gone, object and row.
    const counts = await Promise.all([sweep(ds), sweep(other)]);

    expect(counts.every((n) => Number.isInteger(n))).toBe(true);
    expect(await rowsOf(orphans)).toEqual([]);
    expect((await Promise.all(orphans.map(bytesOf))).filter((b) => b !== null)).toEqual([]);
  });

  it('leaves alone a file its message is being tied to at that moment, and the tie holds', async () => {
    const late = await stored('late');
    await age([late], GRACE_HOURS + 1);
    const messageId = newId();
    const runner = other.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await files.link(tenantId, messageId, [late], runner.manager);
      // The linking transaction holds the row: the sweep skips it rather than wait or delete it.
      await sweep();
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await ds.query(`SELECT message_id FROM attachments WHERE id = $1`, [late])).toEqual([{ message_id: messageId }]);
    expect(await bytesOf(late)).toEqual(PDF('late'));
    await sweep();
    expect(await bytesOf(late)).toEqual(PDF('late'));
  });

  it('never leaves an object no row names: a crash while storing leaves an unlinked row, which the sweep removes', async () => {
    const crashing: ObjectStorage = { ...storage, kind: 's3', put: () => Promise.reject(new Error('the process died here')), get: (k) => storage.get(k), delete: (k) => storage.delete(k), signedUrl: (k, o) => storage.signedUrl(k, o) };
    const id = newId();
    const messageId = newId();
    await expect(new AttachmentStore(ds, crashing, { linkTtlSeconds: 60 }).save({ id, tenantId, name: 'lost.pdf', mimeType: 'application/pdf', content: PDF('lost'), messageId })).rejects.toThrow('the process died here');
    // The row is there, tied to nothing (a message never names a file without its bytes), and no object.
    expect(await ds.query(`SELECT message_id, conversation_id FROM attachments WHERE id = $1`, [id])).toEqual([{ message_id: null, conversation_id: null }]);
    expect(await bytesOf(id)).toBeNull();
    await age([id], GRACE_HOURS + 1);
    await sweep();
    expect(await rowsOf([id])).toEqual([]);
  });

  it("runs in one agent at a time: a sweep started while another holds the lock skips its turn", async () => {
    const config = { FILE_ORPHAN_GRACE_HOURS: GRACE_HOURS, FILE_ORPHAN_SWEEP_MINUTES: 0 };
    const job = new OrphanFilesJob(ds, storage, config);
    const orphan = await stored('turn');
    await age([orphan], GRACE_HOURS + 1);
    const holder = other.createQueryRunner();
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtextextended('orphan-files-sweep', 0))`);
      expect(await job.run()).toBeNull();
      expect(await rowsOf([orphan])).toEqual([orphan]);
      await holder.query(`SELECT pg_advisory_unlock(hashtextextended('orphan-files-sweep', 0))`);
    } finally {
      await holder.release();
    }
    expect(await job.run()).not.toBeNull();
    expect(await rowsOf([orphan])).toEqual([]);
    expect(await bytesOf(orphan)).toBeNull();
  });
});
