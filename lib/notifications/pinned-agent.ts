/**
 * The connection side of the notification target guard (target-guard.ts): an undici dispatcher that
 * resolves a target's name itself, refuses internal answers and connects to exactly the addresses it
 * checked. Checking first and letting the socket resolve again would leave a window for DNS rebinding
 * (a public answer for the check, 127.0.0.1 for the connect). Only the worker sends notifications, so
 * only it loads undici.
 */
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { isInternalAddress, normalHost, refusedAddress, resolveAll, type ResolveAll } from './target-guard';

/** The error a refused connection fails with; the notifier does not retry it. */
export const TARGET_REFUSED = 'ENOTIFYTARGETREFUSED';
const refusal = (reason: string) => Object.assign(new Error(reason), { code: TARGET_REFUSED });

/**
 * A `lookup` for net/tls.connect: resolves the name once, refuses the connection when any answer is
 * internal (unless the host is allowed), and hands the socket exactly the addresses it checked. A
 * failed or empty lookup fails the connection (closed, never open).
 */
export function pinnedLookup(allowedHosts: ReadonlySet<string>, resolve: ResolveAll = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    const host = normalHost(hostname);
    resolve(host).then(
      (all) => {
        const addresses =
          options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const bad = allowedHosts.has(host) ? undefined : all.find((a) => isInternalAddress(a.address));
        const first = addresses[0];
        setImmediate(() => {
          if (bad) callback(refusal(`${host} resolves to the internal address ${bad.address}`), '', 0);
          else if (!first) callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), '', 0);
          else if (options.all) callback(null, addresses);
          else callback(null, first.address, first.family);
        });
      },
      (err: Error) => setImmediate(() => callback(err as NodeJS.ErrnoException, '', 0)),
    );
  };
}

/**
 * The undici dispatcher every notification goes through: IP-literal targets are checked before
 * connecting, names through pinnedLookup. Tests pass `resolve` to play DNS.
 */
export function notificationAgent(allowedHosts: ReadonlySet<string>, resolve?: ResolveAll): Agent {
  const connect = buildConnector({ lookup: pinnedLookup(allowedHosts, resolve) });
  return new Agent({
    connect(opts, callback) {
      const refused = refusedAddress(opts.hostname, allowedHosts);
      if (refused) callback(refusal(refused), null);
      else connect(opts, callback);
    },
  });
}
