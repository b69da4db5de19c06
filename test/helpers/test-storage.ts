import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { DataSource } from 'typeorm';
import { AttachmentStore, LocalFolderStorage, S3Storage, type ObjectStorage } from '@cs/storage';
import { PresignedLinkChecker } from '../fakes/s3/presigned-link-checker';

/** s3rver's fixed credentials: it accepts these and no others. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

/**
 * A real S3-speaking server (s3rver: the S3 REST API over its own folder) on 127.0.0.1, for specs
 * that store files the way a deployment with MinIO or AWS does. `env` is what an app needs to use it.
 *
 * s3rver does not check presigned links. With `checkLinks`, links are signed for a front that
 * checks them as S3 does (`PresignedLinkChecker`, the store's S3_PUBLIC_ENDPOINT), so a tampered
 * or expired link is refused; `publicEndpoint` is where links point.
 */
export async function startS3Server(opts: { checkLinks?: boolean } = {}): Promise<{
  endpoint: string;
  publicEndpoint: string;
  bucket: string;
  env: Record<string, string>;
  storage: () => S3Storage;
  linkChecker: PresignedLinkChecker | null;
  close: () => Promise<void>;
}> {
  const directory = mkdtempSync(path.join(tmpdir(), 'cs-s3rver-'));
  // s3rver ships no types; its constructor and run/close are all these specs use.
  const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const linkChecker = opts.checkLinks ? await PresignedLinkChecker.start(endpoint, S3RVER_CREDENTIALS) : null;
  const publicEndpoint = linkChecker?.url ?? endpoint;
  const bucket = 'cs-test-files';
  return {
    endpoint,
    publicEndpoint,
    bucket,
    linkChecker,
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      ...(linkChecker ? { S3_PUBLIC_ENDPOINT: publicEndpoint } : {}),
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    },
    storage: () => new S3Storage({ bucket, region: 'us-east-1', endpoint, publicEndpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS }),
    close: async () => {
      await linkChecker?.close();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A folder store in a fresh temp folder, and a way to remove it. */
export function localTestStorage(signingKey = Buffer.alloc(32, 7)): { storage: LocalFolderStorage; root: string; remove: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'cs-files-'));
  return { storage: new LocalFolderStorage({ root, signingKey }), root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** An AttachmentStore over `storage` (default: a temp folder), for specs that build connectors by hand. */
export function testAttachmentStore(ds: DataSource, storage: ObjectStorage = localTestStorage().storage): AttachmentStore {
  return new AttachmentStore(ds, storage, { linkTtlSeconds: 300 });
}

/** A fresh folder for an app's local file storage (FILES_DIR), so specs never write into ./data. */
export function tempFilesDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'cs-files-'));
}
