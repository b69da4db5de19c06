import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { openDataSource } from '@cs/persistence';
import { localTestStorage, startS3Server, testEnv } from '@cs/testing';
import { AttachmentStore, attachmentKey } from './attachment-store';
import { LOCAL_FILES_ROUTE, type LocalFolderStorage } from './local-folder.storage';
import type { ObjectStorage } from './object-storage';
import { S3Storage } from './s3.storage';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a tiny picture')]);

/** Serves a local store's signed links as the gateway's /files route does, so the links are tried over HTTP. */
function serveLocal(storage: LocalFolderStorage): Promise<{ base: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = decodeURIComponent(url.pathname.slice(LOCAL_FILES_ROUTE.length + 1));
    const grant = storage.verifyLink(key, Object.fromEntries(url.searchParams));
    if (!grant) return void res.writeHead(403).end();
    storage.get(key).then(
      (body) => (body ? res.writeHead(200, { 'content-type': grant.contentType, 'content-disposition': grant.disposition }).end(body) : res.writeHead(404).end()),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

/** What every store must do, whichever is behind the interface. */
function behavesAsObjectStorage(name: string, open: () => Promise<{ storage: ObjectStorage; absolute: (url: string) => string; close: () => Promise<void> }>) {
  describe(name, () => {
    let storage: ObjectStorage;
    let absolute: (url: string) => string;
    let close: () => Promise<void>;
    beforeAll(async () => ({ storage, absolute, close } = await open()));
    afterAll(() => close());

    it('gives back the bytes it stored, and nothing once they are deleted', async () => {
      const key = `tenants/${newId()}/attachments/${newId()}`;
      await storage.put(key, PNG, { contentType: 'image/png' });
      expect(await storage.get(key)).toEqual(PNG);
      await storage.delete([key, `tenants/${newId()}/attachments/never-stored`]);
      expect(await storage.get(key)).toBeNull();
    });

    it('lets whoever holds a signed link download the file with the type and name it was signed for', async () => {
      const key = `tenants/${newId()}/attachments/${newId()}`;
      await storage.put(key, PNG, { contentType: 'image/png' });
      const url = await storage.signedUrl(key, { expiresInSeconds: 60, contentType: 'image/png', disposition: 'inline', fileName: 'parcel é.png' });
      const res = await fetch(absolute(url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''parcel%20%C3%A9.png`);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    });

    it('refuses keys that could leave its root', async () => {
      await expect(storage.put('../escape', PNG, { contentType: 'image/png' })).rejects.toThrow('invalid object key');
      await expect(storage.get('tenants/../../etc/passwd')).rejects.toThrow('invalid object key');
    });
  });
}

describe('object storage', () => {
  behavesAsObjectStorage('on a real S3-speaking server (s3rver)', async () => {
    const s3 = await startS3Server();
    return { storage: s3.storage(), absolute: (url) => url, close: s3.close };
  });

  behavesAsObjectStorage('in a local folder, links served over HTTP', async () => {
    const local = localTestStorage();
    const { base, server } = await serveLocal(local.storage);
    return {
      storage: local.storage,
      absolute: (url) => `${base}${url}`,
      close: async () => {
        await new Promise((r) => server.close(r));
        local.remove();
      },
    };
  });

  describe('local links', () => {
    const local = localTestStorage();
    afterAll(() => local.remove());

    it('stop working once expired or changed', async () => {
      const key = `tenants/${newId()}/attachments/${newId()}`;
      const url = new URL(await local.storage.signedUrl(key, { expiresInSeconds: 60, contentType: 'application/pdf', disposition: 'inline' }), 'http://x');
      const query = Object.fromEntries(url.searchParams);
      const path = url.pathname.slice(LOCAL_FILES_ROUTE.length + 1);
      expect(local.storage.verifyLink(path, query)).toMatchObject({ key, contentType: 'application/pdf' });
      expect(local.storage.verifyLink(path, query, Date.now() + 61_000)).toBeNull();
      expect(local.storage.verifyLink(path, { ...query, type: 'text/html' })).toBeNull();
      expect(local.storage.verifyLink(`tenants/${newId()}/attachments/x`, query)).toBeNull();
      expect(local.storage.verifyLink(path, { ...query, exp: String(Number(query.exp) + 3600) })).toBeNull();
      expect(local.storage.verifyLink(path, { ...query, cd: 'attachment' })).toBeNull();
      expect(local.storage.verifyLink(path, { ...query, sig: `${query.sig.slice(0, -1)}${query.sig.endsWith('A') ? 'B' : 'A'}` })).toBeNull();
      const { sig: _unsigned, ...withoutSignature } = query;
      expect(local.storage.verifyLink(path, withoutSignature)).toBeNull();
    });
  });
});

describe('S3 presigned links, checked as S3 checks them (SigV4 recomputed in front of s3rver)', () => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let key: string;
  let link: URL;
  const get = (url: URL | string) => fetch(url.toString());
  const tamper = (name: string, value: string) => {
    const url = new URL(link);
    url.searchParams.set(name, value);
    return url;
  };
  const refusal = async (res: Response) => ({ status: res.status, code: /<Code>(\w+)<\/Code>/.exec(await res.text())?.[1] });

  beforeAll(async () => {
    s3 = await startS3Server({ checkLinks: true });
    key = `tenants/${newId()}/attachments/${newId()}`;
    await s3.storage().put(key, PNG, { contentType: 'image/png' });
    link = new URL(await s3.storage().signedUrl(key, { expiresInSeconds: 300, contentType: 'image/png', disposition: 'inline', fileName: 'parcel.png' }));
  });
  afterAll(() => s3.close());

  it('downloads the file through a link as signed', async () => {
    expect(link.origin).toBe(s3.publicEndpoint);
    const res = await get(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
  });

  it('refuses a link whose served type, lifetime, object or signature was changed', async () => {
    expect(await refusal(await get(tamper('response-content-type', 'text/html')))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await refusal(await get(tamper('X-Amz-Expires', '604800')))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    const sig = link.searchParams.get('X-Amz-Signature')!;
    expect(await refusal(await get(tamper('X-Amz-Signature', `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`)))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    const other = `tenants/${newId()}/attachments/${newId()}`;
    await s3.storage().put(other, PNG, { contentType: 'image/png' });
    const elsewhere = new URL(link);
    elsewhere.pathname = elsewhere.pathname.replace(key, other);
    expect(await refusal(await get(elsewhere))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await refusal(await get(`${s3.publicEndpoint}/${s3.bucket}/${key}`))).toEqual({ status: 403, code: 'AccessDenied' });
  });

  it('refuses a link signed with another secret key', async () => {
    const forger = new S3Storage({ bucket: s3.bucket, region: 'us-east-1', endpoint: s3.publicEndpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'not-the-secret' } });
    const forged = await forger.signedUrl(key, { expiresInSeconds: 300, contentType: 'image/png', disposition: 'inline' });
    expect(await refusal(await get(forged))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a link once it has expired', async () => {
    const short = await s3.storage().signedUrl(key, { expiresInSeconds: 60, contentType: 'image/png', disposition: 'inline' });
    expect((await get(short)).status).toBe(200);
    s3.linkChecker!.clockSkewMs = 61_000;
    try {
      expect(await refusal(await get(short))).toEqual({ status: 403, code: 'AccessDenied' });
      expect(s3.linkChecker!.refusals.at(-1)?.message).toBe('Request has expired');
      // The longer link is still good at that moment.
      expect((await get(link)).status).toBe(200);
    } finally {
      s3.linkChecker!.clockSkewMs = 0;
    }
  });
});

describe('AttachmentStore on s3rver', () => {
  let ds: DataSource;
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let files: AttachmentStore;
  const tenantId = newId();

  beforeAll(async () => {
    ds = await openDataSource({ databaseUrl: testEnv().DATABASE_URL, poolSize: 2 }, { migrate: false });
    s3 = await startS3Server();
    files = new AttachmentStore(ds, s3.storage(), { linkTtlSeconds: 120 });
    await ds.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Files', $2)`, [tenantId, `files-${tenantId}`]);
  });
  afterAll(async () => {
    await s3.close();
    await ds.destroy();
  });

  it('stores a file once under its id, ties it to its message, and lists it with a working link', async () => {
    const id = newId();
    const messageId = newId();
    const file = { id, tenantId, name: 'parcel.png', mimeType: 'image/png', content: PNG };
    await files.save(file);
    await files.save(file); // a vendor's retry
    await files.link(tenantId, messageId, [id]);
    const [view] = await files.forMessages(tenantId, [messageId]);
    expect(view).toMatchObject({ id, messageId, name: 'parcel.png', mimeType: 'image/png', size: PNG.length });
    const res = await fetch(view.url);
    expect(res.headers.get('content-disposition')).toMatch(/^inline/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
  });

  it('serves a file whose bytes are not what its name claims as a download, never inline', async () => {
    const id = newId();
    const messageId = newId();
    await files.save({ id, tenantId, name: 'photo.jpg', mimeType: 'image/jpeg', content: Buffer.from('<script>alert(1)</script>'), messageId });
    const [view] = await files.forMessages(tenantId, [messageId]);
    const res = await fetch(view.url);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('moves the bytes of rows from before object storage into it, once', async () => {
    const id = newId();
    await ds.query(`INSERT INTO attachments (id, tenant_id, name, mime_type, size, content) VALUES ($1, $2, 'old.png', 'image/png', $3, $4)`, [id, tenantId, PNG.length, PNG]);
    expect(await files.moveLegacyContent()).toBeGreaterThanOrEqual(1);
    const [row] = await ds.query(`SELECT content, storage_key, detected_type FROM attachments WHERE id = $1`, [id]);
    expect(row).toEqual({ content: null, storage_key: attachmentKey(tenantId, id), detected_type: 'image/png' });
    expect(await files.content(tenantId, id)).toEqual(PNG);
    expect(await files.moveLegacyContent()).toBe(0);
  });
});
