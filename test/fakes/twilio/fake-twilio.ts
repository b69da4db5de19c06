import { randomBytes } from 'crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import type { AddressInfo } from 'net';
import { twilioSignature } from './twilio-signature';
import { failRequest } from '../fail-request';

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  /** `accountSid:authToken` from Basic auth, or null. */
  auth: string | null;
  at: number;
}

export interface FakeMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  /** A WhatsApp template send: its Content SID and variables (the body is the template rendered). */
  contentSid?: string;
  contentVariables?: Record<string, string>;
  /** The error code Twilio failed the message with after accepting it (63016: outside WhatsApp's window). */
  failedWith?: string;
}

export interface FakeFailure {
  status: number;
  code: number;
  message: string;
  retryAfterSeconds?: number;
  /** Only a request for this recipient fails (so one test's failure never leaks into another's). */
  to?: string;
}

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /**
   * Where webhooks really go: Twilio calls the public URL (and signs it); behind it a proxy forwards
   * to our gateway. Maps a public URL to the local one the fake actually posts to.
   */
  route?: (publicUrl: string) => string;
  /** Status callbacks the fake sends after creating a message, in order ('sent', 'delivered'). */
  autoStatuses?: string[];
}

export function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/**
 * A Twilio of our own on 127.0.0.1 speaking Twilio's wire format: the REST endpoints the `twilio`
 * SDK calls (Messages create, Accounts fetch, Calls update) with Twilio's JSON shapes and error
 * bodies, and webhooks signed exactly as Twilio signs them.
 */
export class FakeTwilio {
  readonly requests: RecordedRequest[] = [];
  readonly messages: FakeMessage[] = [];
  readonly callUpdates: { callSid: string; params: Record<string, string> }[] = [];
  readonly recordingsStarted: { callSid: string; params: Record<string, string> }[] = [];
  readonly callbacks: { url: string; params: Record<string, string>; status: number }[] = [];
  private readonly failures: FakeFailure[] = [];
  private readonly media = new Map<string, { body: Buffer; contentType: string }>();
  /** Approved WhatsApp templates: Content SID → body with {{1}}-style variables. */
  private readonly templates = new Map<string, string>();
  /** When each WhatsApp customer (`whatsapp:+…`) last wrote: WhatsApp's 24-hour window opens then. */
  private readonly lastWhatsAppInbound = new Map<string, number>();
  private readonly pending = new Set<Promise<unknown>>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: FakeTwilioOptions,
  ) {}

  static async start(opts: FakeTwilioOptions): Promise<FakeTwilio> {
    let fake: FakeTwilio | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((err: Error) => failRequest('fake Twilio', res, err));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeTwilio(server, `http://127.0.0.1:${port}`, opts);
    return fake;
  }

  /** The next API calls (for `to`, when given) fail like this, one failure per call. */
  failNext(...failures: FakeFailure[]): void {
    this.failures.push(...failures);
  }

  messagesTo(to: string): FakeMessage[] {
    return this.messages.filter((m) => m.to === to);
  }

  /** Media of an inbound MMS, served (behind the account's Basic auth) at the URL returned. */
  addMedia(messageSid: string, body: Buffer, contentType: string): string {
    const path = `/2010-04-01/Accounts/${this.opts.accountSid}/Messages/${messageSid}/Media/${sid('ME')}`;
    this.media.set(path, { body, contentType });
    return `https://api.twilio.com${path}`;
  }

  /** A call recording (a WAV file), served at `<RecordingUrl>.wav` as Twilio serves it. */
  addRecording(wav: Buffer): { recordingSid: string; recordingUrl: string } {
    const recordingSid = sid('RE');
    const path = `/2010-04-01/Accounts/${this.opts.accountSid}/Recordings/${recordingSid}`;
    this.media.set(`${path}.wav`, { body: wav, contentType: 'audio/x-wav' });
    return { recordingSid, recordingUrl: `https://api.twilio.com${path}` };
  }

  /** An inbound MMS: a caption and pictures, as Twilio posts it. */
  async receiveMms(webhookUrl: string, mms: { from: string; to: string; body: string; media: { body: Buffer; contentType: string }[] }): Promise<Response> {
    const messageSid = sid('MM');
    const params: Record<string, string> = {
      MessageSid: messageSid,
      SmsMessageSid: messageSid,
      SmsSid: messageSid,
      AccountSid: this.opts.accountSid,
      From: mms.from,
      To: mms.to,
      Body: mms.body,
      NumMedia: String(mms.media.length),
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
    };
    mms.media.forEach((m, i) => {
      params[`MediaUrl${i}`] = this.addMedia(messageSid, m.body, m.contentType);
      params[`MediaContentType${i}`] = m.contentType;
    });
    return this.postSigned(webhookUrl, params);
  }

  /** An inbound text, as Twilio posts it to the number's messaging webhook. */
  async receiveSms(webhookUrl: string, text: { from: string; to: string; body: string; messageSid?: string }): Promise<Response> {
    const messageSid = text.messageSid ?? sid('SM');
    return this.postSigned(webhookUrl, {
      ToCountry: 'US',
      ToState: 'CA',
      SmsMessageSid: messageSid,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: messageSid,
      FromState: 'CA',
      SmsStatus: 'received',
      FromCity: '',
      Body: text.body,
      FromCountry: 'US',
      To: text.to,
      ToZip: '',
      NumSegments: '1',
      MessageSid: messageSid,
      AccountSid: this.opts.accountSid,
      From: text.from,
      ApiVersion: '2010-04-01',
    });
  }

  /** An approved WhatsApp template (Content Template Builder), sendable by `ContentSid`. */
  approveTemplate(body: string): string {
    const contentSid = sid('HX');
    this.templates.set(contentSid, body);
    return contentSid;
  }

  /** Moves the customer's last WhatsApp message back in time, as if they had been silent for `hours`. */
  ageWhatsAppSession(phone: string, hours: number): void {
    const key = `whatsapp:${phone}`;
    this.lastWhatsAppInbound.set(key, (this.lastWhatsAppInbound.get(key) ?? Date.now()) - hours * 3600_000);
  }

  /** An inbound WhatsApp message (text, media), as Twilio posts it for a WhatsApp sender. */
  async receiveWhatsApp(
    webhookUrl: string,
    wa: { from: string; to: string; body: string; profileName?: string; messageSid?: string; media?: { body: Buffer; contentType: string }[]; buttonPayload?: string },
  ): Promise<Response> {
    const messageSid = wa.messageSid ?? sid('SM');
    const media = wa.media ?? [];
    const params: Record<string, string> = {
      SmsMessageSid: messageSid,
      NumMedia: String(media.length),
      ProfileName: wa.profileName ?? 'Customer',
      MessageType: media.length ? (media[0].contentType.split('/')[0] === 'application' ? 'document' : media[0].contentType.split('/')[0]) : wa.buttonPayload ? 'button' : 'text',
      SmsSid: messageSid,
      WaId: wa.from.replace(/^\+/, ''),
      SmsStatus: 'received',
      Body: wa.body,
      To: `whatsapp:${wa.to}`,
      NumSegments: '1',
      ReferralNumMedia: '0',
      MessageSid: messageSid,
      AccountSid: this.opts.accountSid,
      From: `whatsapp:${wa.from}`,
      ApiVersion: '2010-04-01',
      ...(wa.buttonPayload ? { ButtonPayload: wa.buttonPayload, ButtonText: wa.body } : {}),
    };
    media.forEach((m, i) => {
      params[`MediaUrl${i}`] = this.addMedia(messageSid, m.body, m.contentType);
      params[`MediaContentType${i}`] = m.contentType;
    });
    this.lastWhatsAppInbound.set(`whatsapp:${wa.from}`, Date.now());
    return this.postSigned(webhookUrl, params);
  }

  /** POSTs form params to `url` with Twilio's signature over that URL (or a given, wrong one). */
  async postSigned(url: string, params: Record<string, string>, opts: { signature?: string } = {}): Promise<Response> {
    const signature = opts.signature ?? twilioSignature(this.opts.authToken, url, params);
    return fetch(this.opts.route ? this.opts.route(url) : url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': sid('') },
      body: new URLSearchParams(params).toString(),
    });
  }

  /** Waits for the status callbacks the fake is still sending. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    await this.settled();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params[k] = v;
    const header = req.headers.authorization ?? '';
    const auth = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : null;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, params, auth, at: Date.now() });

    const { accountSid, authToken } = this.opts;
    if (auth !== `${accountSid}:${authToken}`) {
      return json(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    }
    const failureAt = this.failures.findIndex((f) => !f.to || f.to === params.To);
    const failure = failureAt >= 0 ? this.failures.splice(failureAt, 1)[0] : undefined;
    if (failure) {
      if (failure.retryAfterSeconds) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
      return json(res, failure.status, {
        code: failure.code,
        message: failure.message,
        more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
        status: failure.status,
      });
    }

    const base = `/2010-04-01/Accounts/${accountSid}`;
    const media = req.method === 'GET' ? this.media.get(url.pathname) : undefined;
    if (media) {
      res.writeHead(200, { 'content-type': media.contentType, 'content-length': String(media.body.length) });
      return void res.end(media.body);
    }
    if (req.method === 'GET' && url.pathname === `${base}.json`) return json(res, 200, accountResource(accountSid, authToken));
    if (req.method === 'POST' && url.pathname === `${base}/Messages.json`) return this.createMessage(res, params);
    const recording = url.pathname.match(new RegExp(`^${base}/Calls/(CA[0-9a-f]{32})/Recordings\\.json$`));
    if (req.method === 'POST' && recording) {
      this.recordingsStarted.push({ callSid: recording[1], params });
      return json(res, 201, {
        sid: sid('RE'),
        account_sid: accountSid,
        call_sid: recording[1],
        status: 'in-progress',
        channels: params.RecordingChannels === 'dual' ? 2 : 1,
        source: 'StartCallRecordingAPI',
        uri: `${base}/Calls/${recording[1]}/Recordings.json`,
      });
    }
    const call = url.pathname.match(new RegExp(`^${base}/Calls/(CA[0-9a-f]{32})\\.json$`));
    if (req.method === 'POST' && call) {
      this.callUpdates.push({ callSid: call[1], params });
      return json(res, 200, callResource(accountSid, call[1], params.Status ?? 'in-progress'));
    }
    return json(res, 404, { code: 20404, message: `The requested resource ${url.pathname} was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });
  }

  private createMessage(res: ServerResponse, params: Record<string, string>): void {
    if (!params.To || !/^(whatsapp:)?\+[1-9]\d{6,14}$/.test(params.To)) {
      return json(res, 400, { code: 21211, message: `The 'To' number ${params.To} is not a valid phone number.`, more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 });
    }
    const whatsapp = params.To.startsWith('whatsapp:');
    if (whatsapp && params.From && !params.From.startsWith('whatsapp:')) {
      return json(res, 400, { code: 63007, message: `Twilio could not find a Channel with the specified From address: ${params.From}`, more_info: 'https://www.twilio.com/docs/errors/63007', status: 400 });
    }
    const template = params.ContentSid ? this.templates.get(params.ContentSid) : undefined;
    if (params.ContentSid && template === undefined) {
      return json(res, 400, { code: 21656, message: 'The ContentSid is Invalid.', more_info: 'https://www.twilio.com/docs/errors/21656', status: 400 });
    }
    const variables = params.ContentVariables ? (JSON.parse(params.ContentVariables) as Record<string, string>) : {};
    const message: FakeMessage = {
      sid: sid('SM'),
      to: params.To,
      from: params.From ?? null,
      messagingServiceSid: params.MessagingServiceSid ?? null,
      body: template !== undefined ? template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => variables[key] ?? '') : (params.Body ?? ''),
      statusCallback: params.StatusCallback ?? null,
      ...(params.ContentSid ? { contentSid: params.ContentSid, contentVariables: variables } : {}),
    };
    this.messages.push(message);
    const now = new Date().toUTCString().replace('GMT', '+0000');
    json(res, 201, {
      account_sid: this.opts.accountSid,
      api_version: '2010-04-01',
      body: message.body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: message.from,
      messaging_service_sid: message.messagingServiceSid,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid: message.sid,
      status: message.messagingServiceSid && !message.from ? 'accepted' : 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${this.opts.accountSid}/Messages/${message.sid}/Media.json` },
      to: message.to,
      uri: `/2010-04-01/Accounts/${this.opts.accountSid}/Messages/${message.sid}.json`,
    });
    // WhatsApp takes a free-form message only within 24 hours of the customer's last one; outside it
    // Twilio accepts the request and then fails the message with 63016.
    const last = this.lastWhatsAppInbound.get(message.to);
    const outsideWindow = whatsapp && !message.contentSid && (last === undefined || Date.now() - last >= 24 * 3600_000);
    if (outsideWindow) {
      message.failedWith = '63016';
      if (message.statusCallback) this.track(this.sendStatuses(message, ['failed'], '63016'));
    } else if (message.statusCallback && this.opts.autoStatuses?.length) this.track(this.sendStatuses(message, this.opts.autoStatuses));
  }

  /** Status callbacks as Twilio sends them, one after the other. */
  async sendStatuses(message: FakeMessage, statuses: string[], errorCode?: string): Promise<void> {
    for (const status of statuses) {
      await new Promise((r) => setTimeout(r, 20));
      const params: Record<string, string> = {
        SmsSid: message.sid,
        SmsStatus: status,
        MessageStatus: status,
        To: message.to,
        MessageSid: message.sid,
        AccountSid: this.opts.accountSid,
        From: message.from ?? '',
        ApiVersion: '2010-04-01',
        ...(errorCode ? { ErrorCode: errorCode } : {}),
      };
      const res = await this.postSigned(message.statusCallback!, params).catch(() => null);
      this.callbacks.push({ url: message.statusCallback!, params, status: res?.status ?? 0 });
    }
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    // Settled either way it is forgotten; a rejection is reported where `pending` is awaited.
    const forget = () => void this.pending.delete(p);
    p.then(forget, forget);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function accountResource(accountSid: string, authToken: string): Record<string, unknown> {
  return {
    auth_token: authToken,
    date_created: 'Thu, 01 Jan 2026 00:00:00 +0000',
    date_updated: 'Thu, 01 Jan 2026 00:00:00 +0000',
    friendly_name: 'Fake shop account',
    owner_account_sid: accountSid,
    sid: accountSid,
    status: 'active',
    subresource_uris: {},
    type: 'Full',
    uri: `/2010-04-01/Accounts/${accountSid}.json`,
  };
}

function callResource(accountSid: string, callSid: string, status: string): Record<string, unknown> {
  return {
    sid: callSid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    status,
    direction: 'inbound',
    uri: `/2010-04-01/Accounts/${accountSid}/Calls/${callSid}.json`,
  };
}
