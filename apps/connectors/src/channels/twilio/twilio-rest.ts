import { AsyncLocalStorage } from 'async_hooks';
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type HttpResponse from 'twilio/lib/http/response';
import { ConnectorError } from '@cs/contracts';

/** Per-call context: the SDK's RestException drops response headers, so Retry-After is caught here. */
const callContext = new AsyncLocalStorage<{ retryAfterMs?: number }>();

/**
 * The SDK's own HTTP client, with every `https://<product>.twilio.com` URL rebased onto
 * TWILIO_API_BASE_URL when it is set (a proxy, or the fake Twilio of the tests). Everything else —
 * request building, auth, response parsing, RestException — stays the real SDK's.
 */
export class RebasingRequestClient extends RequestClient {
  constructor(private readonly baseUrl: string | undefined) {
    super({ timeout: 15_000, keepAlive: true });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<HttpResponse<TData>> {
    const uri = this.baseUrl ? rebase(opts.uri, this.baseUrl) : opts.uri;
    const response = await super.request<TData>({ ...opts, uri });
    const headers = (response.headers ?? {}) as Record<string, string | undefined>;
    const retryAfter = Number(headers['retry-after']);
    const ctx = callContext.getStore();
    if (ctx && retryAfter > 0) ctx.retryAfterMs = retryAfter * 1000;
    return response;
  }
}

/** `https://api.twilio.com/2010-04-01/Accounts/AC.../Messages.json` → `<base>/2010-04-01/...`. */
export function rebase(uri: string, baseUrl: string): string {
  const url = new URL(uri);
  if (!/(^|\.)twilio\.com$/.test(url.hostname)) return uri;
  return baseUrl.replace(/\/+$/, '') + url.pathname + url.search;
}

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

/** One SDK client per account (they are cheap; the HTTP client and its sockets are shared). */
export class TwilioClients {
  private readonly http: RebasingRequestClient;
  private readonly clients = new Map<string, twilio.Twilio>();

  constructor(baseUrl: string | undefined) {
    this.http = new RebasingRequestClient(baseUrl);
  }

  for(creds: TwilioCredentials): twilio.Twilio {
    const key = `${creds.accountSid}:${creds.authToken}`;
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size > 1000) this.clients.clear();
      client = twilio(creds.accountSid, creds.authToken, { httpClient: this.http });
      this.clients.set(key, client);
    }
    return client;
  }
}

/** Twilio error codes that say the number cannot receive our texts. */
export const OPTED_OUT_CODE = 21610;
const INVALID_RECIPIENT_CODES = new Set([21211, 21614, 21612, 21408, 21610]);
const AUTH_CODES = new Set([20003, 20005, 20008]);

/**
 * Runs one API call and translates what Twilio says into a ConnectorError (Twenty's habit: vendor
 * errors are translated at the driver edge, raw texts never leave it). `recipient`: the number a
 * send was for, named in the error's facts when Twilio says it opted out (21610), so the one writer
 * of delivery state records the opt-out.
 */
export async function callTwilio<T>(what: string, call: () => Promise<T>, recipient?: string): Promise<T> {
  const ctx: { retryAfterMs?: number } = {};
  try {
    return await callContext.run(ctx, call);
  } catch (err) {
    throw toConnectorError(err, what, ctx.retryAfterMs, recipient);
  }
}

export function toConnectorError(err: unknown, what: string, retryAfterMs?: number, recipient?: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (err instanceof twilio.RestException) {
    const code = typeof err.code === 'number' ? err.code : undefined;
    const detail = `${what}: Twilio ${err.status}${code ? ` error ${code}` : ''}${err.message ? ` (${err.message})` : ''}`;
    const facts = { ...(code !== undefined ? { vendorCode: String(code) } : {}), ...(code === OPTED_OUT_CODE && recipient ? { optedOut: recipient } : {}) };
    if (err.status === 429 || code === 20429) return new ConnectorError('RATE_LIMITED', detail, retryAfterMs ?? 1000, facts);
    if (err.status === 401 || (code !== undefined && AUTH_CODES.has(code))) return new ConnectorError('AUTH', detail, undefined, facts);
    if (code !== undefined && INVALID_RECIPIENT_CODES.has(code)) return new ConnectorError('INVALID_RECIPIENT', detail, undefined, facts);
    if (err.status >= 500) return new ConnectorError('TEMPORARY', detail, undefined, facts);
    return new ConnectorError('PERMANENT', detail, undefined, facts);
  }
  // No HTTP answer at all (connection refused, timeout): worth another try.
  return new ConnectorError('TEMPORARY', `${what}: ${(err as Error)?.message ?? String(err)}`);
}

/** Every Twilio connector's connection test: the account, fetched with its credentials, is active. */
export async function testTwilioAccount(clients: TwilioClients, creds: TwilioCredentials): Promise<{ ok: boolean; detail?: string }> {
  try {
    const found = await callTwilio('fetching the account', () => clients.for(creds).api.v2010.accounts(creds.accountSid).fetch());
    return { ok: found.status === 'active', detail: `${found.friendlyName} (${found.status})` };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}

/**
 * Who a message goes out from: the number the customer wrote to, when it is ours; else the
 * Messaging Service; else our first number. `prefix`: `whatsapp:` for WhatsApp senders.
 */
export function senderFor(
  numbers: string[],
  messagingServiceSid: string | undefined,
  wroteTo: string | undefined,
  prefix = '',
): { from: string } | { messagingServiceSid: string } {
  if (wroteTo && numbers.includes(wroteTo)) return { from: `${prefix}${wroteTo}` };
  if (messagingServiceSid) return { messagingServiceSid };
  return { from: `${prefix}${numbers[0]}` };
}

/** Twilio reports the message's delivery to our webhook, naming our own message id (the signature covers it). */
export function statusCallbackFor(publicUrl: string | undefined, connectorId: string, accountId: string, messageId: string): { statusCallback?: string } {
  return publicUrl ? { statusCallback: `${publicUrl}/hooks/${connectorId}/${accountId}?messageId=${messageId}` } : {};
}
