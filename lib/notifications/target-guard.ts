/**
 * Where the server may send a notification. A route's target is typed in by a person, so without a
 * check the worker could be made to POST to the campus LAN, the cloud metadata service or itself
 * (SSRF). A target host resolving to a loopback, private, link-local or otherwise internal address is
 * refused unless it is listed in NOTIFY_ALLOWED_HOSTS (the deployment's own receivers; the hosts of
 * the NOTIFY_* channels the deployer configured are allowed too). The check runs at delivery, after
 * DNS, and deliveries never follow redirects (notifier.ts).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

function ipv4Private(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Loopback, private (RFC 1918 / ULA), link-local, CGNAT, unspecified, multicast or reserved. */
export function isInternalAddress(ip: string): boolean {
  if (isIP(ip) === 4) return ipv4Private(ip);
  const v6 = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return ipv4Private(mapped[1] as string);
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}

export function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return null;
  }
}

/** Null when the URL may be posted to; otherwise why not, in words for the log. */
export async function refusedTarget(url: string, allowedHosts: ReadonlySet<string>): Promise<string | null> {
  const host = hostOf(url);
  if (!host) return 'not a URL';
  if (allowedHosts.has(host)) return null;
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return null; // unresolvable: the delivery itself fails and is retried / logged as usual
  }
  const internal = addresses.find(isInternalAddress);
  return internal
    ? `${host} resolves to the internal address ${internal} (add the host to NOTIFY_ALLOWED_HOSTS if it is yours)`
    : null;
}

/** NOTIFY_ALLOWED_HOSTS plus the hosts of the channels configured in the environment. */
export function allowedNotificationHosts(
  list: string | undefined,
  configuredUrls: Array<string | undefined>,
): Set<string> {
  const hosts = new Set(
    (list ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  for (const url of configuredUrls) {
    const host = url ? hostOf(url) : null;
    if (host) hosts.add(host);
  }
  return hosts;
}
