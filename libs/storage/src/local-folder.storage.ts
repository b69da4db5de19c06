import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { assertKey, contentDisposition, type ObjectStorage, type SignedLinkOptions } from './object-storage';

/** The path the gateway serves local files under (`GET /files/<key>?…`). */
export const LOCAL_FILES_ROUTE = '/files';

export interface LocalFolderOptions {
  /** The folder objects are kept in. */
  root: string;
  /** Signs the download links (derived from SECRET_KEY). */
  signingKey: Buffer;
  /** Prefix of the links: the gateway's public URL; empty for links relative to the gateway. */
  baseUrl?: string;
}

/** What a signed local link says, checked by `verifyLink` before the gateway serves the file. */
export interface LinkGrant {
  key: string;
  expires: number;
  contentType: string;
  disposition: string;
}

/**
 * Objects as files under one folder: the embedded mode, where one process (or processes that
 * share the folder) does everything. Writes go to a temporary file first and are renamed into
 * place, so a reader never sees half a file. Links are HMAC-signed gateway URLs with an expiry,
 * the local twin of an S3 presigned URL.
 */
export class LocalFolderStorage implements ObjectStorage {
  readonly kind = 'local' as const;

  constructor(private readonly options: LocalFolderOptions) {}

  async put(key: string, body: Buffer): Promise<void> {
    const file = this.fileOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, body);
    await fs.rename(tmp, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.fileOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) await fs.rm(this.fileOf(key), { force: true });
  }

  signedUrl(key: string, link: SignedLinkOptions): Promise<string> {
    assertKey(key);
    const grant: LinkGrant = {
      key,
      expires: Math.floor(Date.now() / 1000) + link.expiresInSeconds,
      contentType: link.contentType,
      disposition: contentDisposition(link.disposition, link.fileName),
    };
    const query = new URLSearchParams({ exp: String(grant.expires), type: grant.contentType, cd: grant.disposition, sig: this.sign(grant) });
    const base = (this.options.baseUrl ?? '').replace(/\/+$/, '');
    return Promise.resolve(`${base}${LOCAL_FILES_ROUTE}/${key}?${query.toString()}`);
  }

  /** The grant a link carries when its signature is ours and it has not expired; null otherwise. */
  verifyLink(key: string, query: Record<string, unknown>, now = Date.now()): LinkGrant | null {
    const { exp, type, cd, sig } = query;
    if (typeof exp !== 'string' || typeof type !== 'string' || typeof cd !== 'string' || typeof sig !== 'string') return null;
    try {
      assertKey(key);
    } catch {
      return null;
    }
    const grant: LinkGrant = { key, expires: Number(exp), contentType: type, disposition: cd };
    if (!Number.isFinite(grant.expires) || grant.expires * 1000 < now) return null;
    const expected = Buffer.from(this.sign(grant));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given) ? grant : null;
  }

  private sign(grant: LinkGrant): string {
    return createHmac('sha256', this.options.signingKey)
      .update([grant.key, grant.expires, grant.contentType, grant.disposition].join('\n'))
      .digest('base64url');
  }

  private fileOf(key: string): string {
    assertKey(key);
    return path.join(path.resolve(this.options.root), ...key.split('/'));
  }
}
