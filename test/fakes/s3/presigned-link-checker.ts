import { createHash, createHmac, type Hash, type Hmac } from 'crypto';
import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { SignatureV4 } from '@smithy/signature-v4';
import { listenFake } from '../fail-request';

/** SigV4's hash for the AWS signer, on Node's crypto: SHA-256, or HMAC-SHA256 when given a key. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The longest a presigned URL may live (S3: one week). */
const MAX_EXPIRES_SECONDS = 604_800;
const REQUIRED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];

export interface LinkRefusal {
  code: string;
  message: string;
}

/**
 * What S3 does with a presigned GET and s3rver does not: check it. A front for s3rver (the address
 * browsers get links for, `S3_PUBLIC_ENDPOINT`) that recomputes each link's SigV4 query signature
 * with the AWS SDK's own signer (@smithy/signature-v4) from the method, host, path, query and the
 * secret key, refuses it as S3 does (403 and S3's XML error: SignatureDoesNotMatch, AccessDenied
 * "Request has expired", InvalidAccessKeyId) and forwards only links that hold. A request without a
 * signature is refused too: the bucket is not public.
 */
export class PresignedLinkChecker {
  readonly refusals: LinkRefusal[] = [];
  /** Added to the clock when checking expiry, to try a link "later" without waiting. */
  clockSkewMs = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly upstream: URL,
    private readonly credentials: { accessKeyId: string; secretAccessKey: string },
  ) {}

  static async start(upstream: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<PresignedLinkChecker> {
    let checker: PresignedLinkChecker | undefined;
    const server = await listenFake('presigned link checker', (req, res) => checker!.handle(req, res));
    checker = new PresignedLinkChecker(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, new URL(upstream), credentials);
    return checker;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Null when the link holds, else why S3 would refuse it. */
  async check(method: string, url: URL, headers: Record<string, string | string[] | undefined>): Promise<LinkRefusal | null> {
    const q = Object.fromEntries(url.searchParams);
    if (!q['X-Amz-Signature']) return { code: 'AccessDenied', message: 'Access Denied' };
    const missing = REQUIRED.filter((name) => !q[name]);
    if (missing.length || q['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') {
      return { code: 'AuthorizationQueryParametersError', message: `Query-string authentication version 4 requires ${REQUIRED.join(', ')}` };
    }
    const [accessKeyId, , region, service] = q['X-Amz-Credential'].split('/');
    if (accessKeyId !== this.credentials.accessKeyId) return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
    const signingDate = parseAmzDate(q['X-Amz-Date']);
    const expires = Number(q['X-Amz-Expires']);
    if (!signingDate || !Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
      return { code: 'AuthorizationQueryParametersError', message: 'X-Amz-Date or X-Amz-Expires is not valid' };
    }
    const signedHeaders = q['X-Amz-SignedHeaders'].split(';');
    const query = { ...q };
    for (const name of REQUIRED) delete query[name];
    const payloadHash = query['X-Amz-Content-Sha256'] ?? 'UNSIGNED-PAYLOAD';
    delete query['X-Amz-Content-Sha256'];
    // As the S3 presigner names it: hoisted into the query under this very spelling.
    const signedValues: Record<string, string> = { 'X-Amz-Content-Sha256': payloadHash };
    for (const name of signedHeaders) signedValues[name] = String(headers[name] ?? '');
    const signer = new SignatureV4({ credentials: this.credentials, region, service, sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
    const expected = await signer.presign(
      { method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port) || undefined, path: url.pathname, query, headers: signedValues },
      { signingDate, expiresIn: expires, signableHeaders: new Set(signedHeaders) },
    );
    const recomputed = expected.query ?? {};
    if (recomputed['X-Amz-Signature'] !== q['X-Amz-Signature'] || recomputed['X-Amz-SignedHeaders'] !== q['X-Amz-SignedHeaders']) {
      return { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' };
    }
    if (signingDate.getTime() + expires * 1000 < Date.now() + this.clockSkewMs) return { code: 'AccessDenied', message: 'Request has expired' };
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const refusal = await this.check(req.method ?? 'GET', url, req.headers);
    if (refusal) {
      this.refusals.push(refusal);
      res.writeHead(403, { 'content-type': 'application/xml' });
      return void res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`);
    }
    await new Promise<void>((resolve, reject) => {
      const upstream = httpRequest(
        { host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res).on('finish', resolve).on('error', reject);
        },
      );
      upstream.on('error', reject);
      req.pipe(upstream);
    });
  }
}

/** `20261208T003324Z` → that instant; null when malformed. */
function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}
