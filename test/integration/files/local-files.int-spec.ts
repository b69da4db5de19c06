import { newId } from '@cs/contracts';
import { Message } from '@cs/persistence';
import { AttachmentStore } from '@cs/storage';
import { OBJECT_STORAGE } from '@cs/config';
import type { LocalFolderStorage } from '@cs/storage';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from '../admin/admin-test-app';

const PDF = Buffer.from(`%PDF-1.4\n% a receipt ${newId()}\n%%EOF\n`);

/**
 * The embedded mode's files (STORAGE_DRIVER=local): staff get a link to the gateway's /files route,
 * signed and short-lived, that serves the file as it was signed for and nothing else.
 */
describe('files in a local folder, served by the gateway', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;
  let link: string;
  let key: string;
  let conversationId: string;

  beforeAll(async () => {
    t = await startAdminApp('localfiles', { root: 'gateway' });
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
    const { conversation, inbound } = await seedConversation(t.db, tenantId, { text: 'Here is my receipt' });
    conversationId = conversation.id;
    const files = t.app.get(AttachmentStore);
    const stored = await files.save({ id: newId(), tenantId, name: 'receipt.pdf', mimeType: 'application/pdf', content: PDF });
    await t.db.manager.update(Message, { id: inbound.id }, { parts: [{ type: 'text', text: 'Here is my receipt' }, { type: 'file', attachmentId: stored.id, name: 'receipt.pdf' }] });
    await files.link(tenantId, inbound.id, [stored.id]);
    const detail = await t.http().get(`/api/v1/conversations/${conversation.id}`).set(owner.auth).expect(200);
    const [file] = detail.body.messages[0].attachments as { url: string; name: string; size: number }[];
    expect(file).toMatchObject({ name: 'receipt.pdf', size: PDF.length, url: expect.stringMatching(/^\/files\/tenants\//) });
    // The part that names the file carries the link too, for clients that render parts.
    expect(detail.body.messages[0].parts[1]).toMatchObject({ attachmentId: stored.id, url: file.url });
    link = file.url;
    key = decodeURIComponent(new URL(link, 'http://x').pathname.slice('/files/'.length));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('downloads the file through its link, as the type it was recognised as, shown inline and never sniffed', async () => {
    const res = await t.http().get(link).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="receipt.pdf"/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toEqual(PDF);
  });

  it("lists the file on the API channel's messages of the conversation too", async () => {
    const { body } = await t.http().post('/api/v1/api-keys').set(owner.auth).send({ name: 'shop backend' }).expect(201);
    const page = await t.http().get(`/api/v1/conversations/${conversationId}/messages`).set({ Authorization: `Bearer ${body.key}` }).expect(200);
    expect(page.body.items[0].attachments).toEqual([
      expect.objectContaining({ name: 'receipt.pdf', mimeType: 'application/pdf', size: PDF.length, url: expect.stringMatching(/^\/files\//), expiresAt: expect.any(String) }),
    ]);
  });

  it('refuses a link that was altered or has expired, and says to open the file again', async () => {
    const altered = link.replace('type=application%2Fpdf', 'type=text%2Fhtml');
    expect(altered).not.toBe(link);
    const refused = await t.http().get(altered).expect(403);
    expect(refused.body.error.message).toMatch(/expired or is not valid/);
    const storage = t.app.get<LocalFolderStorage>(OBJECT_STORAGE);
    const expired = await storage.signedUrl(key, { expiresInSeconds: -1, contentType: 'application/pdf', disposition: 'inline' });
    await t.http().get(expired).expect(403);
    await t.http().get(`/files/${key}`).expect(403);
  });
});
