import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Where a delivery connects: the URL, and the address its host resolved to, checked, then used as it is. */
export interface Destination {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** A webhook URL CIM must not call: not https, or a host inside our own network. */
export class RefusedDestinationError extends Error {
  override readonly name = 'RefusedDestinationError';
}

// Loopback, private, link-local, shared, documentation, multicast and reserved ranges: nothing a receiver on the
// internet lives in, and everything an attacker would aim CIM at (the metadata service at 169.254.169.254…).
const internalRanges: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  // IPv4-mapped, NAT64 and 6to4 addresses carry an IPv4 address that could be any of the above.
  ['::ffff:0:0', 96, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];
const internal = new BlockList();
for (const [network, prefix, family] of internalRanges) internal.addSubnet(network, prefix, family);

function isInternalAddress(address: string): boolean {
  return internal.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

async function addressesOf(hostname: string): Promise<{ address: string; family: number }[]> {
  if (isIP(hostname)) return [{ address: hostname, family: isIP(hostname) }];
  try {
    return await lookup(hostname, { all: true, verbatim: true });
  } catch {
    throw new RefusedDestinationError(`${hostname} does not resolve`);
  }
}

/**
 * Checks a webhook URL and resolves its host, at save and again at every delivery (so a host that later resolves
 * inward is refused then: no DNS rebinding). A host in `allowedHosts` may be internal and use http.
 */
export async function resolveDestination(text: string, allowedHosts: readonly string[]): Promise<Destination> {
  const url = new URL(text);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const allowed = allowedHosts.includes(hostname);
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) {
    throw new RefusedDestinationError('must use https (http only for hosts in CIM_WEBHOOK_ALLOWED_HOSTS)');
  }
  if (url.username || url.password) throw new RefusedDestinationError('must not hold a user name or password');
  const addresses = await addressesOf(hostname);
  const inward = addresses.find(({ address }) => isInternalAddress(address));
  if (inward && !allowed) {
    throw new RefusedDestinationError(
      `resolves to an internal address (${inward.address}); list the host in CIM_WEBHOOK_ALLOWED_HOSTS to allow it`,
    );
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
