import { z } from 'zod';
import { ConnectorError, type ChannelAccountRef, type ChannelConnector } from '@cs/contracts';
import { checkConnection } from './connector-catalog.service';

const settings = z.object({
  user: z.string().meta({ title: 'User', description: 'Login name.' }),
  password: z.string().meta({ title: 'Password', description: 'Login password.', secret: true }),
});

/** A vendor connector whose test answers (or throws) whatever the case needs. */
const connectorTesting = (test?: ChannelConnector['testConnection']): ChannelConnector => ({
  definition: {
    id: 'pager',
    channel: 'api',
    displayName: 'Pager',
    settings,
    capabilities: { threads: false, attachments: false, maxTextLength: 160, typing: false, richText: false },
  },
  send: async (m) => ({ externalMessageId: m.messageId }),
  ...(test ? { testConnection: test } : {}),
});

const account: ChannelAccountRef = {
  id: '0194b7e2-0000-7000-8000-000000000001',
  tenantId: '0194b7e2-0000-7000-8000-000000000002',
  connectorId: 'pager',
  settings: { user: 'shop', password: 'hunter2-very-secret' },
};
const logged: string[] = [];
const logger = { warn: (line: string) => void logged.push(line) };

describe('the console’s connection test, as the connectors app answers it', () => {
  beforeEach(() => (logged.length = 0));

  it('answers ok when the connector’s own test passes', async () => {
    expect(await checkConnection(connectorTesting(async () => ({ ok: true, detail: 'fine' })), account, logger)).toEqual({ ok: true });
  });

  it('says "not supported" for a connector without a test, or an unknown one', async () => {
    expect(await checkConnection(connectorTesting(), account, logger)).toEqual({ ok: false, detail: 'not supported' });
    expect(await checkConnection(undefined, account, logger)).toEqual({ ok: false, detail: 'not supported' });
  });

  it('passes the connector’s reason on as one short line, with the account’s secrets blanked out', async () => {
    const echoing = connectorTesting(async (a) => ({ ok: false, detail: `login as shop with\n ${String(a.settings.password)} refused ${'x'.repeat(400)}` }));
    const reply = await checkConnection(echoing, account, logger);
    expect(reply.ok).toBe(false);
    expect(reply.detail).toMatch(/^login as shop with \*\*\* refused x+…$/);
    expect(reply.detail).not.toContain('hunter2');
    expect(reply.detail!.length).toBeLessThanOrEqual(300);
  });

  it('never shows what a throwing vendor said, only what kind of failure it was, and logs the rest', async () => {
    const refused = connectorTesting(async () => {
      throw new ConnectorError('AUTH', 'HTTP 401 {"code":20003,"message":"Authenticate","more_info":"https://vendor.example/20003"}');
    });
    expect(await checkConnection(refused, account, logger)).toEqual({ ok: false, detail: 'the credentials were refused' });
    const crashed = connectorTesting(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'sid')");
    });
    expect(await checkConnection(crashed, account, logger)).toEqual({ ok: false, detail: 'the connection test failed' });
    expect(logged.join('\n')).toContain('20003');
    expect(logged.join('\n')).toContain("reading 'sid'");
  });

  it('gives up on a vendor that never answers', async () => {
    const hanging = connectorTesting(() => new Promise(() => undefined));
    expect(await checkConnection(hanging, account, logger, 50)).toEqual({ ok: false, detail: 'the service did not answer in time' });
  });
});
