/**
 * Where files live: attachments, voice recordings, exports. One small interface with two
 * implementations, a folder on disk (the embedded mode, `FILES_DIR`) and any S3-compatible store
 * (AWS S3, MinIO, ...). Callers name objects by key and never see which one is behind.
 *
 * Keys are paths of safe characters (`tenants/<tenant id>/attachments/<id>`); see `objectKey`.
 */
export interface ObjectStorage {
  /** `local` or `s3`, for logs and readiness. */
  readonly kind: 'local' | 's3';
  /** Stores (or replaces) one object. */
  put(key: string, body: Buffer, meta: { contentType: string }): Promise<void>;
  /** The object's bytes, or null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the objects; a key that does not exist is not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /**
   * A link that lets whoever holds it download the object until it expires, with the given
   * content type and disposition (a browser shows `inline` images and PDFs, downloads the rest).
   */
  signedUrl(key: string, link: SignedLinkOptions): Promise<string>;
}

export interface SignedLinkOptions {
  /** How long the link works. */
  expiresInSeconds: number;
  /** The type the download is served with. */
  contentType: string;
  /** `inline` (shown in the browser) or `attachment` (downloaded), with this file name. */
  disposition: 'inline' | 'attachment';
  fileName?: string;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** A key made of path segments; refuses anything that could leave the store's root (`..`, `/x`, `\`). */
export function objectKey(...segments: string[]): string {
  const key = segments.join('/');
  assertKey(key);
  return key;
}

export function assertKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((s) => s === '.' || s === '..') || key.length > 512) {
    throw new Error(`invalid object key: ${JSON.stringify(key)}`);
  }
}

/** `Content-Disposition` with the name in both forms (RFC 6266), safe for any characters. */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName?: string): string {
  if (!fileName) return disposition;
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
