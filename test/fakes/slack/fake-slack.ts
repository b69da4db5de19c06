import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { createHmac, randomBytes } from 'crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { failRequest } from '../fail-request';

/** One Web API call as the fake received it. */
export interface SlackCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
  at: number;
  /** What the fake answered: 200 with ok true/false, or 429. */
  status: number;
  ok: boolean;
}

export interface FakeSlackUser {
  id: string;
  teamId: string;
  name: string;
  email?: string;
  isBot?: boolean;
}

export interface FakeSlackOptions {
  teamId: string;
  teamName?: string;
  botToken: string;
  botUserId: string;
  botId: string;
  signingSecret: string;
  /** Socket Mode: the app-level token apps.connections.open accepts. */
  appToken?: string;
  /** oauth.v2.access: the client and the code it accepts. */
  clientId?: string;
  clientSecret?: string;
}

type Failure = { kind: 'rate_limited'; retryAfterSec: number } | { kind: 'error'; error: string };

/**
 * A Slack of our own on 127.0.0.1, speaking Slack's wire format: the Web API methods we call
 * (form or JSON bodies, Bearer token, `{ ok, ... }` answers, 429 with Retry-After) and the Events
 * API side, signing requests to our gateway exactly as Slack signs them (v0 HMAC-SHA256).
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, { id: string; name: string; isExtShared: boolean }>();
  private readonly failures = new Map<string, Failure[]>();
  /** Bot tokens the fake accepts, with the workspace each belongs to. */
  private readonly tokens = new Map<string, { teamId: string; teamName: string; botUserId: string; botId: string }>();
  private nextInstall: { teamId: string; teamName: string; botToken: string; botUserId: string; botId: string } | null = null;
  private readonly server: Server;
  private readonly sockets: WebSocketServer;
  private readonly acks = new Map<string, () => void>();
  private readonly postWaiters = new Set<(call: SlackCall) => void>();
  private pinger: NodeJS.Timeout | null = null;
  private tsCounter = 0;
  private lastBasicAuth: [string, string] | undefined;
  url = '';

  constructor(readonly options: FakeSlackOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => failRequest('fake Slack', res, err));
    });
    this.sockets = new WebSocketServer({ server: this.server, path: '/socket-mode' });
    this.sockets.on('connection', (socket) => this.onSocket(socket));
    this.addUser({ id: options.botUserId, teamId: options.teamId, name: 'support-bot', isBot: true });
    this.tokens.set(options.botToken, { teamId: options.teamId, teamName: options.teamName ?? 'Shop', botUserId: options.botUserId, botId: options.botId });
  }

  /** The workspace the next OAuth code exchange installs into, and the bot token it grants. */
  willInstall(install: { teamId: string; teamName: string; botToken: string; botUserId: string; botId: string }): void {
    this.nextInstall = install;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    // Slack pings its Socket Mode clients; without pings they reconnect after 30 s.
    this.pinger = setInterval(() => this.sockets.clients.forEach((c) => c.ping('ping from fake slack')), 5_000);
    return this;
  }

  async stop(): Promise<void> {
    if (this.pinger) clearInterval(this.pinger);
    for (const client of this.sockets.clients) client.terminate();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** For WebClient's `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  /** The next call of `method` answers 429 with Retry-After (once). */
  rateLimitNext(method: string, retryAfterSec = 1): void {
    this.queueFailure(method, { kind: 'rate_limited', retryAfterSec });
  }

  /** The next call of `method` answers `{ ok: false, error }` (once). */
  failNext(method: string, error: string): void {
    this.queueFailure(method, { kind: 'error', error });
  }

  callsTo(method: string, where: (c: SlackCall) => boolean = () => true): SlackCall[] {
    return this.calls.filter((c) => c.method === method && where(c));
  }

  /** Resolves with the first successful chat.postMessage into the thread from now on. */
  nextPostIn(channel: string, threadTs: string, timeoutMs = 30_000): Promise<SlackCall> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.postWaiters.delete(waiter);
        reject(new Error(`no answer in ${channel}:${threadTs} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (call: SlackCall) => {
        if (!call.ok || call.args.channel !== channel || call.args.thread_ts !== threadTs) return;
        clearTimeout(timer);
        this.postWaiters.delete(waiter);
        resolve(call);
      };
      this.postWaiters.add(waiter);
    });
  }

  /** Messages we posted (successfully) in one thread. */
  postedIn(channel: string, threadTs: string): SlackCall[] {
    return this.callsTo('chat.postMessage', (c) => c.ok && c.args.channel === channel && c.args.thread_ts === threadTs);
  }

  nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  // ---- Events API side: what Slack sends to the app ----

  /** An `event_callback` envelope as Slack wraps an event for this app's installation. */
  envelope(event: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      token: 'deprecated-verification-token',
      team_id: this.options.teamId,
      api_app_id: 'A0FAKEAPP',
      event: { event_ts: event.ts ?? this.nextTs(), ...event },
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.options.teamId, user_id: this.options.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: true,
      event_context: `4-${randomBytes(8).toString('base64url')}`,
      ...extra,
    };
  }

  /** A message event by `user` in a (shared) channel, as Slack Connect delivers it. */
  messageEvent(user: FakeSlackUser, channel: string, text: string, opts: { ts?: string; threadTs?: string } = {}): Record<string, unknown> {
    return {
      type: 'message',
      channel,
      channel_type: 'channel',
      user: user.id,
      text,
      ts: opts.ts ?? this.nextTs(),
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
      team: user.teamId,
      user_team: user.teamId,
      source_team: user.teamId,
      user_profile: { real_name: user.name, display_name: user.name, name: user.name, team: user.teamId },
    };
  }

  /** What Slack sends back when a bot posts: the message event carries `bot_id`. */
  botMessageEvent(botId: string, botUserId: string, channel: string, text: string, opts: { ts?: string; threadTs?: string } = {}): Record<string, unknown> {
    return {
      type: 'message',
      channel,
      user: botUserId,
      bot_id: botId,
      app_id: 'A0FAKEAPP',
      text,
      ts: opts.ts ?? this.nextTs(),
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
      team: this.options.teamId,
      bot_profile: { id: botId, name: 'a bot', team_id: this.options.teamId },
    };
  }

  /** POSTs a JSON body to `url`, signed with the signing secret (or another, to test refusals). */
  sendSigned(
    url: string,
    body: string,
    opts: { contentType?: string; retryNum?: number; timestampSec?: number; secret?: string; signature?: string } = {},
  ): Promise<Response> {
    const ts = opts.timestampSec ?? Math.floor(Date.now() / 1000);
    const signature = opts.signature ?? `v0=${createHmac('sha256', opts.secret ?? this.options.signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const headers: Record<string, string> = {
      'content-type': opts.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signature,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (opts.retryNum) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    return fetch(url, { method: 'POST', headers, body });
  }

  sendEvent(url: string, envelope: Record<string, unknown>, opts: { retryNum?: number; timestampSec?: number; secret?: string } = {}): Promise<Response> {
    return this.sendSigned(url, JSON.stringify(envelope), opts);
  }

  /** A button click on a message, as Slack posts it to the interactivity URL (a form with `payload`). */
  sendInteraction(url: string, payload: Record<string, unknown>): Promise<Response> {
    return this.sendSigned(url, `payload=${encodeURIComponent(JSON.stringify(payload))}`, { contentType: 'application/x-www-form-urlencoded' });
  }

  blockAction(user: FakeSlackUser, message: { channel: string; ts: string; threadTs: string }, actionId: string): Record<string, unknown> {
    return {
      type: 'block_actions',
      team: { id: user.teamId, domain: 'team' },
      user: { id: user.id, username: user.name, name: user.name, team_id: user.teamId },
      api_app_id: 'A0FAKEAPP',
      token: 'deprecated-verification-token',
      trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false, thread_ts: message.threadTs },
      channel: { id: message.channel, name: 'shared' },
      message: { type: 'message', ts: message.ts, thread_ts: message.threadTs, bot_id: this.options.botId },
      response_url: `${this.url}/actions/response`,
      actions: [{ action_id: actionId, block_id: 'cs_feedback', value: 'x', type: 'button', action_ts: `${Date.now() / 1000}` }],
    };
  }

  // ---- Socket Mode side ----

  /** How many apps hold a Socket Mode connection now. */
  get socketClients(): number {
    return this.sockets.clients.size;
  }

  /** Sends an envelope over every open socket, as Slack does, and resolves once the app acks it. */
  socketSend(type: 'events_api' | 'interactive', payload: Record<string, unknown>, timeoutMs = 10_000): Promise<void> {
    const envelopeId = randomBytes(8).toString('hex');
    const acked = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`envelope ${envelopeId} was not acknowledged`)), timeoutMs);
      this.acks.set(envelopeId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const frame = JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    for (const client of this.sockets.clients) client.send(frame);
    return acked;
  }

  private onSocket(socket: WebSocket): void {
    socket.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.clients.size, debug_info: { host: 'fake-slack', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0FAKEAPP' } }));
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { envelope_id?: string };
      if (message.envelope_id) this.acks.get(message.envelope_id)?.();
    });
  }

  // ---- Web API side: what the app calls ----

  private queueFailure(method: string, failure: Failure): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.url ?? '').split('?')[0].replace(/^\/api\//, '');
    const args = readArgs(raw, req.headers['content-type'] ?? '');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    this.lastBasicAuth = auth?.startsWith('Basic ') ? (Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':') as [string, string]) : undefined;
    const call: SlackCall = { method, token, args, at: Date.now(), status: 200, ok: true };
    this.calls.push(call);

    const failure = this.failures.get(method)?.shift();
    if (failure?.kind === 'rate_limited') {
      call.status = 429;
      call.ok = false;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(failure.retryAfterSec) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const answer = failure?.kind === 'error' ? { ok: false, error: failure.error } : this.answer(method, token, args);
    call.ok = answer.ok === true;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer));
    if (method === 'chat.postMessage') for (const waiter of [...this.postWaiters]) waiter(call);
  }

  private answer(method: string, token: string | undefined, args: Record<string, unknown>): Record<string, unknown> {
    const o = this.options;
    if (method === 'oauth.v2.access') {
      // WebClient sends the client credentials as HTTP Basic auth or in the form; accept either.
      const basic = token === undefined ? this.lastBasicAuth : undefined;
      const clientId = args.client_id ?? basic?.[0];
      const clientSecret = args.client_secret ?? basic?.[1];
      const install = this.nextInstall;
      if (clientId !== o.clientId || clientSecret !== o.clientSecret || !args.code || !install) return { ok: false, error: 'invalid_code' };
      this.nextInstall = null;
      this.tokens.set(install.botToken, { teamId: install.teamId, teamName: install.teamName, botUserId: install.botUserId, botId: install.botId });
      return {
        ok: true,
        app_id: 'A0FAKEAPP',
        authed_user: { id: 'U0INSTALLER' },
        scope: 'channels:history,groups:history,chat:write,chat:write.customize,reactions:read,reactions:write,users:read',
        token_type: 'bot',
        access_token: install.botToken,
        bot_user_id: install.botUserId,
        team: { id: install.teamId, name: install.teamName },
        enterprise: null,
        is_enterprise_install: false,
      };
    }
    if (method === 'apps.connections.open') {
      if (!o.appToken || token !== o.appToken) return { ok: false, error: token ? 'invalid_auth' : 'not_authed' };
      return { ok: true, url: `${this.url.replace('http', 'ws')}/socket-mode?ticket=${randomBytes(6).toString('hex')}` };
    }
    const workspace = token ? this.tokens.get(token) : undefined;
    if (!workspace) return { ok: false, error: token ? 'invalid_auth' : 'not_authed' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://shop.slack.com/', team: workspace.teamName, user: 'support-bot', team_id: workspace.teamId, user_id: workspace.botUserId, bot_id: workspace.botId, is_enterprise_install: false };
      case 'chat.postMessage': {
        if (!args.channel) return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        return {
          ok: true,
          channel: args.channel,
          ts,
          message: { type: 'message', subtype: 'bot_message', text: args.text, ts, thread_ts: args.thread_ts, bot_id: o.botId, user: o.botUserId, blocks: args.blocks },
        };
      }
      case 'reactions.add':
      case 'reactions.remove':
        return args.channel && args.timestamp && args.name ? { ok: true } : { ok: false, error: 'invalid_arguments' };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: user.id, team_id: user.teamId, name: user.name, real_name: user.name, is_bot: !!user.isBot,
            profile: { real_name: user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}), team: user.teamId },
          },
        };
      }
      case 'conversations.info': {
        const channel = this.channels.get(String(args.channel));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { id: channel.id, name: channel.name, is_channel: true, is_ext_shared: channel.isExtShared, is_shared: channel.isExtShared, is_member: true } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** WebClient posts forms (objects such as `blocks` as JSON strings); some clients post JSON. */
function readArgs(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
