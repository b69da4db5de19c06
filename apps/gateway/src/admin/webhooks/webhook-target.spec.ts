import dns, { type LookupAddress } from 'dns';
import { WebhookTargetRefused, checkWebhookUrl, refuseByUrl, refusedAddressReason, vettedLookup } from './webhook-target';

const strict = { allowHttp: false, allowPrivate: false };

describe('refusedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::7f00:1', 'reserved'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusedAddressReason(address)).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '::ffff:93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])('allows %s', (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });

  it('says so when given something that is not an address', () => {
    expect(refusedAddressReason('example.com')).toBe('not an IP address');
  });
});

describe('refuseByUrl', () => {
  it('wants https unless http is allowed, and never another scheme', () => {
    expect(refuseByUrl(new URL('http://93.184.216.34/hook'), strict)).toBe('must be an https URL');
    expect(refuseByUrl(new URL('http://93.184.216.34/hook'), { ...strict, allowHttp: true })).toBeNull();
    expect(refuseByUrl(new URL('ftp://93.184.216.34/hook'), { ...strict, allowHttp: true })).toBe('must be an http(s) URL');
    expect(refuseByUrl(new URL('https://93.184.216.34/hook'), strict)).toBeNull();
  });

  it('refuses private IP literals, however the URL spells them, unless private targets are allowed', () => {
    expect(refuseByUrl(new URL('https://169.254.169.254/latest/meta-data'), strict)).toBe('169.254.169.254 is link-local, not a public address');
    expect(refuseByUrl(new URL('https://[::ffff:127.0.0.1]:8080/'), strict)).toBe('::ffff:7f00:1 is loopback, not a public address');
    expect(refuseByUrl(new URL('https://[fd00::1]/'), strict)).toBe('fd00::1 is unique-local, not a public address');
    // The URL parser turns decimal and short forms into dotted quads before we look.
    expect(refuseByUrl(new URL('https://2130706433/'), strict)).toBe('127.0.0.1 is loopback, not a public address');
    expect(refuseByUrl(new URL('https://0/'), strict)).toBe('0.0.0.0 is unspecified, not a public address');
    expect(refuseByUrl(new URL('https://127.0.0.1/'), { ...strict, allowPrivate: true })).toBeNull();
  });
});

describe('host names', () => {
  afterEach(() => jest.restoreAllMocks());

  /** dns.lookup answering `answers` in turn, as a resolver an attacker controls could. */
  function resolverAnswering(...answers: LookupAddress[][]): void {
    const lookup = jest.spyOn(dns, 'lookup') as unknown as jest.SpyInstance;
    for (const answer of answers) lookup.mockImplementationOnce((_host: string, _options: unknown, callback: (e: null, a: LookupAddress[]) => void) => callback(null, answer));
  }

  function lookupOnce(hostname: string, all: boolean): Promise<unknown> {
    return new Promise((resolve, reject) =>
      vettedLookup(hostname, { all }, (error, address, family) => (error ? reject(error) : resolve(all ? address : { address, family }))),
    );
  }

  it('refuses a name that resolves to a loopback address (the real resolver, via /etc/hosts)', async () => {
    expect(await checkWebhookUrl('https://localhost:8443/hook', strict)).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), which is loopback, not a public address$/);
    expect(await checkWebhookUrl('https://localhost:8443/hook', { ...strict, allowPrivate: true })).toBeNull();
  });

  it('refuses a name when any of its addresses is private, and one that does not resolve', async () => {
    resolverAnswering([{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 }]);
    expect(await checkWebhookUrl('https://hooks.shop.example/x', strict)).toBe('hooks.shop.example resolves to 10.0.0.5, which is private, not a public address');
    jest.spyOn(dns, 'lookup').mockImplementationOnce(((_h: string, _o: unknown, callback: (e: Error) => void) => callback(new Error('ENOTFOUND'))) as never);
    expect(await checkWebhookUrl('https://nowhere.example/x', strict)).toBe('nowhere.example does not resolve');
  });

  it('connects only to what it vetted: a name re-pointed at a private address after registration is refused at delivery', async () => {
    resolverAnswering([{ address: '93.184.216.34', family: 4 }], [{ address: '93.184.216.34', family: 4 }], [{ address: '169.254.169.254', family: 4 }]);
    expect(await checkWebhookUrl('https://hooks.shop.example/x', strict)).toBeNull();
    expect(await lookupOnce('hooks.shop.example', false)).toEqual({ address: '93.184.216.34', family: 4 });
    const refused = lookupOnce('hooks.shop.example', true);
    await expect(refused).rejects.toBeInstanceOf(WebhookTargetRefused);
    await expect(refused).rejects.toThrow('hooks.shop.example resolves to 169.254.169.254, which is link-local, not a public address');
  });
});
