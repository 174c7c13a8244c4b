/**
 * Where the server may send a notification. A route's target is typed in by a person, so without a
 * check the worker could be made to POST to the campus LAN, the cloud metadata service or itself
 * (SSRF). A target on a loopback, private, link-local or otherwise internal address is refused unless
 * its host is listed in NOTIFY_ALLOWED_HOSTS (the deployment's own receivers; the hosts of the NOTIFY_*
 * channels the deployer configured are allowed too).
 *
 * Every spelling of an address is reduced to one before the check: the URL parser turns `2130706433`,
 * `0177.0.0.1`, `0x7f.1` and `127.1` into `127.0.0.1`, and the block list holds each internal IPv4
 * range also as IPv4-mapped (`::ffff:7f00:1`), IPv4-compatible (`::7f00:1`), NAT64 (`64:ff9b::`) and
 * 6to4 (`2002::`) IPv6. The check runs when a route is saved (a 400 for the admin) and again when the
 * worker connects: the delivery agent (pinned-agent.ts) resolves the name itself, refuses internal answers and connects
 * to exactly the address it checked, so a DNS answer that changes between check and connect (rebinding)
 * cannot reach an internal host; no answer means no connection. Deliveries never follow redirects.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** IPv4 that is not the public internet (IANA special-purpose registry). */
const V4_INTERNAL: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const V6_INTERNAL: ReadonlyArray<readonly [string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: a tunnel to an IPv4 host we cannot see
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some stacks)
  ['ff00::', 8], // multicast
];
/** IPv6 prefixes whose last 32 bits are an IPv4 host: mapped, SIIT-translated, compatible, NAT64. */
const V4_IN_V6_96 = ['::ffff:', '::ffff:0:', '::', '64:ff9b::'];

const internal = new BlockList();
for (const [net, bits] of V4_INTERNAL) {
  internal.addSubnet(net, bits, 'ipv4');
  for (const prefix of V4_IN_V6_96) internal.addSubnet(`${prefix}${net}`, 96 + bits, 'ipv6');
  const [a, b, c, d] = net.split('.').map(Number) as [number, number, number, number];
  internal.addSubnet(`2002:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}::`, 16 + bits, 'ipv6');
}
for (const [net, bits] of V6_INTERNAL) internal.addSubnet(net, bits, 'ipv6');

/** `text` as one canonical IP address (`127.1` → `127.0.0.1`, `::ffff:127.0.0.1` → `::ffff:7f00:1`), or null. */
export function canonicalIp(text: string): string | null {
  const bare = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (!bare || /[\s/?#@[\]]/.test(bare)) return null;
  try {
    const host = new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname.replace(/^\[(.*)\]$/, '$1');
    return isIP(host) ? host : null;
  } catch {
    return null;
  }
}

/**
 * Loopback, private (RFC 1918 / ULA), link-local, CGNAT, unspecified, multicast or reserved, in any
 * spelling. Anything that is not an IP address at all counts as internal too (fail closed).
 */
export function isInternalAddress(ip: string): boolean {
  const canonical = canonicalIp(ip);
  if (!canonical) return true;
  return internal.check(canonical, isIP(canonical) === 6 ? 'ipv6' : 'ipv4');
}

/** The URL's host as the connection will use it: lower case, no brackets, no trailing dot, IPs canonical. */
export function hostOf(url: string): string | null {
  try {
    return normalHost(new URL(url).hostname);
  } catch {
    return null;
  }
}

/** A host as allow lists and checks compare it (see hostOf). */
export function normalHost(host: string): string {
  const bare = host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  return canonicalIp(bare) ?? bare;
}

/** Why a host literal may not be connected to (an internal IP not allowed), or null (allowed, or a name). */
export function refusedAddress(host: string, allowedHosts: ReadonlySet<string>): string | null {
  const normal = normalHost(host);
  if (allowedHosts.has(normal) || isIP(normal) === 0) return null;
  return isInternalAddress(normal) ? `${normal} is an internal address` : null;
}

export type ResolveAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;
export const resolveAll: ResolveAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Null when the URL may be posted to; otherwise why not, in words for the admin. Used when a route is
 * saved: a name that does not resolve now is let through (the receiver may not be set up yet), since
 * the delivery agent resolves again and connects only to an address it checked.
 */
export async function refusedTarget(
  url: string,
  allowedHosts: ReadonlySet<string>,
  resolve: ResolveAll = resolveAll,
): Promise<string | null> {
  const host = hostOf(url);
  if (!host) return 'not a URL';
  if (allowedHosts.has(host)) return null;
  if (isIP(host)) return refusedAddress(host, allowedHosts);
  const addresses = await Promise.race([
    resolve(host).catch(() => []),
    new Promise<[]>((done) => setTimeout(done, 3_000, []).unref()),
  ]);
  const bad = addresses.find((a) => isInternalAddress(a.address));
  return bad ? `${host} resolves to the internal address ${bad.address}` : null;
}

/** NOTIFY_ALLOWED_HOSTS plus the hosts of the channels configured in the environment. */
export function allowedNotificationHosts(
  list: string | undefined,
  configuredUrls: Array<string | undefined>,
): Set<string> {
  const hosts = new Set(
    (list ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean)
      .map(normalHost),
  );
  for (const url of configuredUrls) {
    const host = url ? hostOf(url) : null;
    if (host) hosts.add(host);
  }
  return hosts;
}
