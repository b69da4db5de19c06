import { lookup as dnsLookup, type LookupAddress } from 'dns';
import { BlockList, isIP, type LookupFunction } from 'net';

/**
 * Which webhook URLs we are willing to POST to. A tenant chooses the URL, so without these checks
 * it could make our servers call the cloud metadata service, the database or anything else on the
 * private network (server-side request forgery).
 */
export interface WebhookTargetPolicy {
  /** Plain http is readable and forgeable on the way; https unless the operator allows it. */
  allowHttp: boolean;
  /** Development and our own tests deliver to a receiver on 127.0.0.1. */
  allowPrivate: boolean;
}

type Subnet = [network: string, prefix: number];

/** Address ranges nobody outside our network should make us reach, by the reason we give. */
const REFUSED: { reason: string; v4?: Subnet[]; v6?: Subnet[] }[] = [
  { reason: 'unspecified', v4: [['0.0.0.0', 8]], v6: [['::', 128]] },
  { reason: 'loopback', v4: [['127.0.0.0', 8]], v6: [['::1', 128]] },
  // 100.64/10 is the carrier-grade NAT range: as internal as the RFC 1918 ones where it is used.
  { reason: 'private', v4: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10]] },
  { reason: 'link-local', v4: [['169.254.0.0', 16]], v6: [['fe80::', 10]] },
  // fec0::/10 (site-local) is deprecated but still means "this site" where it is configured.
  { reason: 'unique-local', v6: [['fc00::', 7], ['fec0::', 10]] },
  { reason: 'multicast', v4: [['224.0.0.0', 4]], v6: [['ff00::', 8]] },
  // IETF protocol assignments, benchmarking, 240/4 and broadcast; ::/96 is the old IPv4-compatible form.
  { reason: 'reserved', v4: [['192.0.0.0', 24], ['198.18.0.0', 15], ['240.0.0.0', 4]], v6: [['::', 96]] },
];

/** Node's BlockList also matches IPv4 rules against IPv4-mapped IPv6 (::ffff:127.0.0.1), which we rely on. */
const LISTS = REFUSED.map(({ reason, v4 = [], v6 = [] }) => {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return { reason, list };
});

/** Why `address` (an IP literal) is refused — `loopback`, `private`... — or null when it is a public address. */
export function refusedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (!family) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return LISTS.find(({ list }) => list.check(address, type))?.reason ?? null;
}

/** A target refused before any request was sent; the message is meant for the tenant's staff. */
export class WebhookTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

/** What the URL alone decides: the scheme, and the address when the host is an IP literal. */
export function refuseByUrl(url: URL, policy: WebhookTargetPolicy): string | null {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return policy.allowHttp ? 'must be an http(s) URL' : 'must be an https URL';
  }
  if (policy.allowPrivate) return null;
  const host = hostOf(url);
  const reason = isIP(host) ? refusedAddressReason(host) : null;
  return reason && `${host} is ${reason}, not a public address`;
}

/** The host without the brackets URL keeps around an IPv6 literal. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Every address `hostname` resolves to, or WebhookTargetRefused when one of them is refused (an
 * attacker's DNS may mix a public address with a private one) or the name does not resolve.
 */
export function resolveVetted(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error || addresses.length === 0) return reject(new WebhookTargetRefused(`${hostname} does not resolve`));
      for (const { address } of addresses) {
        const reason = refusedAddressReason(address);
        if (reason) return reject(new WebhookTargetRefused(`${hostname} resolves to ${address}, which is ${reason}, not a public address`));
      }
      resolve(addresses);
    });
  });
}

/** Registration: null when `raw` may be used as a webhook URL, else why not. */
export async function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy): Promise<string | null> {
  const url = new URL(raw);
  const refused = refuseByUrl(url, policy);
  if (refused || policy.allowPrivate || isIP(hostOf(url))) return refused;
  return resolveVetted(url.hostname).then(
    () => null,
    (error: WebhookTargetRefused) => error.message,
  );
}

/**
 * Delivery: the `lookup` for http(s).request. The socket connects to the very addresses that were
 * just vetted, so a name that resolved to a public address at registration (or a moment ago)
 * cannot be re-pointed at a private one in between (DNS rebinding). IP literals never reach a
 * lookup: refuseByUrl covers them.
 */
export const vettedLookup: LookupFunction = (hostname, options, callback) => {
  resolveVetted(hostname).then(
    (addresses) => {
      // Our requests never ask for one family, so the first address serves a single-answer lookup.
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    },
    (error: NodeJS.ErrnoException) => callback(error, '', 0),
  );
};
