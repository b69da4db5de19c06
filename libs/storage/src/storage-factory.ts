import * as path from 'path';
import { LocalFolderStorage } from './local-folder.storage';
import type { ObjectStorage } from './object-storage';
import { S3Storage } from './s3.storage';

/** The environment's say on storage (names as in libs/config's schema). */
export interface StorageSettings {
  STORAGE_DRIVER: 'local' | 's3';
  DATA_DIR: string;
  FILES_DIR?: string;
  S3_BUCKET?: string;
  S3_REGION: string;
  S3_ENDPOINT?: string;
  S3_PUBLIC_ENDPOINT?: string;
  S3_FORCE_PATH_STYLE: 'true' | 'false';
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  /** The gateway's public URL: the prefix of local download links. */
  PUBLIC_URL?: string;
}

/**
 * The storage the settings name. `signingKey` signs local download links; it comes from SECRET_KEY,
 * so every process of a deployment makes links the gateway accepts.
 */
export function createObjectStorage(settings: StorageSettings, signingKey: Buffer): ObjectStorage {
  if (settings.STORAGE_DRIVER === 's3') {
    if (!settings.S3_BUCKET) throw new Error('S3_BUCKET is required when STORAGE_DRIVER=s3');
    if (!!settings.S3_ACCESS_KEY_ID !== !!settings.S3_SECRET_ACCESS_KEY) {
      throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together (or neither, for the SDK default chain)');
    }
    return new S3Storage({
      bucket: settings.S3_BUCKET,
      region: settings.S3_REGION,
      endpoint: settings.S3_ENDPOINT,
      publicEndpoint: settings.S3_PUBLIC_ENDPOINT,
      forcePathStyle: settings.S3_FORCE_PATH_STYLE === 'true',
      ...(settings.S3_ACCESS_KEY_ID && settings.S3_SECRET_ACCESS_KEY
        ? { credentials: { accessKeyId: settings.S3_ACCESS_KEY_ID, secretAccessKey: settings.S3_SECRET_ACCESS_KEY } }
        : {}),
    });
  }
  return new LocalFolderStorage({
    root: settings.FILES_DIR ?? path.join(settings.DATA_DIR, 'files'),
    signingKey,
    baseUrl: settings.PUBLIC_URL,
  });
}

/**
 * Where signed links point, as a CSP source: a page that shows files (the demo shop's widget)
 * allows pictures from there. Null for local storage (the gateway's own origin).
 */
export function fileLinkOrigin(settings: Pick<StorageSettings, 'STORAGE_DRIVER' | 'S3_ENDPOINT' | 'S3_PUBLIC_ENDPOINT'>): string | null {
  if (settings.STORAGE_DRIVER !== 's3') return null;
  const endpoint = settings.S3_PUBLIC_ENDPOINT ?? settings.S3_ENDPOINT;
  return endpoint ? new URL(endpoint).origin : 'https://*.amazonaws.com';
}
