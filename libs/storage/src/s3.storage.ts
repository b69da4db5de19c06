import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertKey, contentDisposition, type ObjectStorage, type SignedLinkOptions } from './object-storage';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** Unset: AWS. Set for MinIO and other S3-compatible stores (`http://minio:9000`). */
  endpoint?: string;
  /** The endpoint browsers reach the store on, when it is not `endpoint` (compose: localhost:9000 vs minio:9000). */
  publicEndpoint?: string;
  /** Path-style URLs (`host/bucket/key`), which MinIO and most self-hosted stores need. */
  forcePathStyle: boolean;
  /** Unset: the SDK's default chain (environment, instance role...). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The most keys one DeleteObjects call takes. */
const DELETE_BATCH = 1000;

/**
 * Objects in an S3 bucket through the official SDK. The bucket is created on first use when it
 * does not exist (a fresh MinIO); links are S3 presigned GET URLs, signed for `publicEndpoint`
 * when the browsers' address of the store differs from ours.
 */
export class S3Storage implements ObjectStorage {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly signer: S3Client;
  private ready?: Promise<void>;

  constructor(private readonly options: S3StorageOptions) {
    const common = { region: options.region, forcePathStyle: options.forcePathStyle, ...(options.credentials ? { credentials: options.credentials } : {}) };
    this.client = new S3Client({ ...common, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
    const publicEndpoint = options.publicEndpoint ?? options.endpoint;
    this.signer = publicEndpoint === options.endpoint ? this.client : new S3Client({ ...common, endpoint: publicEndpoint });
  }

  async put(key: string, body: Buffer, meta: { contentType: string }): Promise<void> {
    assertKey(key);
    await this.ensureBucket();
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body, ContentType: meta.contentType }));
  }

  async get(key: string): Promise<Buffer | null> {
    assertKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      batch.forEach(assertKey);
      const out = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length) throw new Error(`deleting ${failed.length} object(s) failed: ${failed[0].Code} ${failed[0].Message ?? ''}`);
    }
  }

  signedUrl(key: string, link: SignedLinkOptions): Promise<string> {
    assertKey(key);
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      ResponseContentType: link.contentType,
      ResponseContentDisposition: contentDisposition(link.disposition, link.fileName),
    });
    return getSignedUrl(this.signer, command, { expiresIn: link.expiresInSeconds });
  }

  private ensureBucket(): Promise<void> {
    this.ready ??= this.createBucketIfMissing().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async createBucketIfMissing(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
    } catch (err) {
      if (!isMissing(err)) throw err;
      await this.client.send(new CreateBucketCommand({ Bucket: this.options.bucket })).catch((e: unknown) => {
        // Another process created it in between.
        if (!(e instanceof S3ServiceException && (e.name === 'BucketAlreadyOwnedByYou' || e.name === 'BucketAlreadyExists'))) throw e;
      });
    }
  }
}

function isMissing(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.name === 'NoSuchBucket' || err.$metadata?.httpStatusCode === 404);
}
