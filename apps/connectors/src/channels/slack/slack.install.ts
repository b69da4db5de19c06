import { createHmac, timingSafeEqual } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { Logger } from '@nestjs/common';
import { InstallProvider, type CodedError, type Installation, type OrgInstallation } from '@slack/oauth';
import type { DataSource } from 'typeorm';
import type { WebhookRequest, WebhookResponse } from '@cs/contracts';
import { SecretBox } from '@cs/config';
import { SlackInstallationStore } from './slack.installation-store';
import { rawBody } from './slack.signature';

/** The bot scopes of slack-app-manifest.yml: the install asks for exactly these. */
export const SLACK_BOT_SCOPES = ['channels:history', 'groups:history', 'chat:write', 'chat:write.customize', 'reactions:read', 'reactions:write', 'users:read'];
const TICKET_TTL_SEC = 15 * 60;

export interface SlackAppCredentials {
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  stateSecret: string;
  apiUrl?: string;
}

/**
 * "Add to Slack" for the multi-tenant service: Bolt's InstallProvider (state cookie, the code
 * exchange, auth.test) with our InstallationStore. The console links a tenant admin to
 * `/hooks/slack/install?ticket=...` (a short-lived ticket signed with SECRET_KEY, so nobody can
 * attach their workspace to someone else's tenant); Slack sends them back to `/oauth_redirect`.
 * The provider speaks Node's req/res; the webhook bridge speaks WebhookRequest/WebhookResponse,
 * so both are adapted here.
 */
export class SlackInstaller {
  private readonly logger = new Logger(SlackInstaller.name);
  private readonly provider: InstallProvider;

  constructor(creds: SlackAppCredentials, dataSource: DataSource, private readonly secretKey: Buffer) {
    this.provider = new InstallProvider({
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      stateSecret: creds.stateSecret,
      installationStore: new SlackInstallationStore(dataSource, new SecretBox(secretKey), creds.signingSecret),
      directInstall: true,
      // The code exchange and auth.test go where the Web API goes; the browser still goes to slack.com.
      clientOptions: creds.apiUrl ? { slackApiUrl: `${creds.apiUrl.replace(/\/+$/, '')}/` } : undefined,
    });
  }

  handles(req: WebhookRequest): boolean {
    return req.method === 'GET' && /\/(install|oauth_redirect)$/.test(req.path);
  }

  async handle(req: WebhookRequest): Promise<WebhookResponse> {
    const { nodeReq, nodeRes, result } = adapt(req);
    const redirectUri = `${new URL(req.url).origin}${req.path.replace(/\/install$/, '/oauth_redirect')}`;
    if (req.path.endsWith('/install')) {
      const tenantId = readTicket(this.secretKey, String(req.query.ticket ?? ''));
      if (!tenantId) return html(403, 'This install link is not valid or has expired. Start again from the console.');
      await this.provider.handleInstallPath(nodeReq, nodeRes, undefined, { scopes: SLACK_BOT_SCOPES, redirectUri, metadata: tenantId });
      return result();
    }
    await this.provider.handleCallback(nodeReq, nodeRes, {
      success: (installation: Installation | OrgInstallation) => {
        nodeRes.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        nodeRes.end(page(`Slack is connected to ${escapeHtml(installation.team?.name ?? 'your workspace')}. Invite the bot to your shared channels.`));
      },
      failure: (error: CodedError) => {
        this.logger.warn(`Slack install failed: ${error.code}: ${error.message}`);
        nodeRes.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        nodeRes.end(page(`Slack was not connected: ${escapeHtml(error.message)}`));
      },
    });
    return result();
  }
}

/** `<tenantId>.<expiry>.<hmac>`: what the console puts on the install link. */
export function slackInstallTicket(secretKey: Buffer, tenantId: string, nowMs = Date.now()): string {
  const payload = `${tenantId}.${Math.floor(nowMs / 1000) + TICKET_TTL_SEC}`;
  return `${payload}.${createHmac('sha256', secretKey).update(`slack-install:${payload}`).digest('base64url')}`;
}

export function readTicket(secretKey: Buffer, ticket: string, nowMs = Date.now()): string | null {
  const [tenantId, exp, mac] = ticket.split('.');
  if (!tenantId || !exp || !mac) return null;
  const expected = createHmac('sha256', secretKey).update(`slack-install:${tenantId}.${exp}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Number(exp) * 1000 >= nowMs ? tenantId : null;
}

/** Just enough of IncomingMessage / ServerResponse for InstallProvider, recording the answer. */
function adapt(req: WebhookRequest) {
  const original = new URL(req.url);
  const nodeReq = { url: original.pathname + original.search, method: req.method, headers: req.headers, body: rawBody(req) } as unknown as IncomingMessage;
  const headers: Record<string, string> = {};
  let status = 200;
  let body = '';
  const res = {
    get statusCode() {
      return status;
    },
    set statusCode(value: number) {
      status = value;
    },
    setHeader(name: string, value: string | string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return res;
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
    writeHead(code: number, more?: Record<string, string>) {
      status = code;
      for (const [k, v] of Object.entries(more ?? {})) headers[k.toLowerCase()] = v;
      return res;
    },
    end(chunk?: string) {
      body += chunk ?? '';
      return res;
    },
  };
  return { nodeReq, nodeRes: res as unknown as ServerResponse, result: (): WebhookResponse => ({ status, headers, body }) };
}

function html(status: number, text: string): WebhookResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page(escapeHtml(text)) };
}

function page(inner: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Slack</title></head><body><p>${inner}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
