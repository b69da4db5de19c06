import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import { BusSubjects, clientMessageIdSchema, safeText, type WebchatWebhookRequest } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import { AttachmentStore, UPLOAD_TYPES, derivedAttachmentId, sniffType, type StoredAttachment } from '@cs/storage';
import { ApiError } from '../common/api-exception.filter';
import { WebchatAccountsService, originAllowed, type WidgetAccount } from './webchat-accounts.service';
import { MAX_WEBCHAT_TEXT, sessionIdSchema, widgetKeySchema } from './webchat.protocol';

export interface UploadRequest {
  key: unknown;
  session: unknown;
  clientId: unknown;
  text: unknown;
  origin?: string;
}

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
}

/** What the customer reads when a file is refused for its type. */
export const UPLOAD_TYPE_MESSAGE = 'file: only pictures (PNG, JPEG, GIF, WebP) and PDF files can be sent';

export function uploadTooLargeMessage(maxBytes: number): string {
  return `file: larger than the ${formatBytes(maxBytes)} limit`;
}

/**
 * A file a customer sends from the widget: checked (a picture or a PDF by its bytes, within
 * UPLOAD_MAX_BYTES), stored in object storage under an id derived from the session and the
 * widget's client id (a retried upload stores it once), then handed to the webchat connector as
 * the message it comes with, exactly as a typed message is (`webhook.webchat`).
 */
@Injectable()
export class WebchatUploadService {
  private readonly logger = new Logger('WebchatUpload');

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'WEBHOOK_TIMEOUT_MS' | 'UPLOAD_MAX_BYTES'>,
    @Inject(AttachmentStore) private readonly files: AttachmentStore,
    private readonly accounts: WebchatAccountsService,
  ) {}

  get maxBytes(): number {
    return this.config.UPLOAD_MAX_BYTES;
  }

  /** The widget account a request names, checked before its body is read. */
  async authorize(key: unknown, origin: string | undefined): Promise<WidgetAccount> {
    const parsed = widgetKeySchema.safeParse(key);
    if (!parsed.success) throw new ApiError(400, 'BAD_REQUEST', 'key: invalid widget key');
    const account = await this.accounts.byWidgetKey(parsed.data);
    if (!account) throw new ApiError(401, 'UNKNOWN_WIDGET', 'This chat widget is not enabled');
    if (!originAllowed(account.allowedOrigins, origin)) throw new ApiError(403, 'UNKNOWN_WIDGET', 'This chat widget is not enabled for this site');
    return account;
  }

  async upload(request: UploadRequest, file: UploadedFile | undefined): Promise<{ clientId: string; attachment: StoredAttachment }> {
    const account = await this.authorize(request.key, request.origin);
    const session = sessionIdSchema.safeParse(request.session);
    if (!session.success) throw new ApiError(400, 'BAD_REQUEST', 'session: invalid session id');
    const clientId = clientMessageIdSchema.safeParse(request.clientId);
    if (!clientId.success) throw new ApiError(400, 'BAD_REQUEST', 'clientId: letters, digits, - and _, up to 100 characters');
    // The same normalisation as every other body: multipart fields are read after the edge's middleware.
    const text = typeof request.text === 'string' ? safeText(request.text).trim() : '';
    if (text.length > MAX_WEBCHAT_TEXT) throw new ApiError(400, 'BAD_REQUEST', `text: at most ${MAX_WEBCHAT_TEXT} characters`);
    if (!file || !file.buffer.length) throw new ApiError(400, 'BAD_REQUEST', 'file: send one file in the multipart field "file"');
    if (file.buffer.length > this.maxBytes) throw new ApiError(413, 'FILE_TOO_LARGE', uploadTooLargeMessage(this.maxBytes));
    const type = sniffType(file.buffer);
    if (!type || !UPLOAD_TYPES.includes(type)) throw new ApiError(415, 'UNSUPPORTED_FILE_TYPE', UPLOAD_TYPE_MESSAGE);

    const attachment = await this.files.save({
      id: derivedAttachmentId('webchat', account.tenantId, session.data, clientId.data),
      tenantId: account.tenantId,
      // Multer reads the multipart file name as latin1; browsers send UTF-8.
      name: cleanName(safeText(Buffer.from(file.originalname ?? '', 'latin1').toString('utf8'))),
      mimeType: type,
      content: file.buffer,
    });
    await this.forward({
      widgetKey: request.key as string,
      sessionId: session.data,
      clientId: clientId.data,
      text,
      attachment,
      ...(request.origin ? { origin: request.origin } : {}),
    });
    return { clientId: clientId.data, attachment };
  }

  private async forward(request: WebchatWebhookRequest): Promise<void> {
    let answer: { ok?: boolean; status?: number; error?: string };
    try {
      answer = (await this.bus.request(BusSubjects.webchatRequest(), request, this.config.WEBHOOK_TIMEOUT_MS)) as typeof answer;
    } catch (err) {
      this.logger.warn(`web chat upload not accepted: ${(err as Error).message}`);
      throw new ApiError(503, 'UNAVAILABLE', 'The chat is busy, try again');
    }
    if (answer?.ok) return;
    const status = answer?.status && answer.status >= 400 && answer.status < 600 ? answer.status : 503;
    throw new ApiError(status, status === 503 ? 'UNAVAILABLE' : 'REJECTED', answer?.error ?? 'The file was not accepted');
  }
}

/** A file name as the customer gave it, without a path, bounded, or null when there is none. */
function cleanName(name: string | undefined): string | null {
  const base = (name ?? '').split(/[\\/]/).pop()?.trim() ?? '';
  return base ? base.slice(0, 200) : null;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
