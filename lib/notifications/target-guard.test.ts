import { describe, expect, it } from 'vitest';
import {
  allowedNotificationHosts,
  canonicalIp,
  hostOf,
  isInternalAddress,
  refusedTarget,
  type ResolveAll,
} from './target-guard';

const none = new Set<string>();
const answers =
  (...addresses: string[]): ResolveAll =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('notification target guard (SSRF)', () => {
  it('knows internal addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      expect(isInternalAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:1.1.1.1'])
      expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('knows loopback in every spelling: mapped, compatible, NAT64, 6to4, decimal, octal, hex, short', () => {
    const loopback = {
      'IPv4-mapped, dotted': '::ffff:127.0.0.1',
      'IPv4-mapped, hex (the black-box try)': '::ffff:7f00:1',
      'IPv4-mapped, full': '0:0:0:0:0:ffff:7f00:0001',
      'IPv4-translated (SIIT)': '::ffff:0:7f00:1',
      'IPv4-compatible, hex': '::7f00:1',
      'IPv4-compatible, dotted': '::127.0.0.1',
      'NAT64 well-known prefix': '64:ff9b::7f00:1',
      'NAT64, dotted': '64:ff9b::127.0.0.1',
      'NAT64 local-use prefix': '64:ff9b:1::a00:1',
      '6to4 around 127.0.0.1': '2002:7f00:1::',
      decimal: '2130706433',
      octal: '0177.0.0.1',
      'hex, whole': '0x7f000001',
      'hex, dotted': '0x7f.0.0.1',
      'short form': '127.1',
      'short form, octal and hex': '0177.0x1',
      'in brackets': '[::ffff:7f00:1]',
      'upper case': '::FFFF:7F00:1',
    };
    for (const [form, ip] of Object.entries(loopback)) expect(isInternalAddress(ip), form).toBe(true);
    // The metadata service and the LAN behind the same disguises.
    for (const ip of ['::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', '::a00:5', '2852039166', '012.0.0.5', '0xc0a80001'])
      expect(isInternalAddress(ip), ip).toBe(true);
    // Public addresses stay public in the same spellings.
    for (const ip of ['::ffff:808:808', '64:ff9b::808:808', '2002:808:808::1', '134744072', '0x8080808'])
      expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('reduces every spelling to one canonical address, and counts what is not an address as internal', () => {
    expect(canonicalIp('2130706433')).toBe('127.0.0.1');
    expect(canonicalIp('0177.0.0.1')).toBe('127.0.0.1');
    expect(canonicalIp('[::ffff:127.0.0.1]')).toBe('::ffff:7f00:1');
    expect(canonicalIp('receiver.example')).toBeNull();
    expect(hostOf('http://[::FFFF:127.0.0.1]:9464/x')).toBe('::ffff:7f00:1');
    expect(hostOf('http://0x7f.1/x')).toBe('127.0.0.1');
    expect(isInternalAddress('not-an-address')).toBe(true);
    expect(isInternalAddress('')).toBe(true);
  });

  it('refuses targets that are or resolve to internal addresses, unless the host is allowed', async () => {
    expect(await refusedTarget('http://169.254.169.254/latest/meta-data', none)).toMatch(
      /169\.254\.169\.254 is an internal address/,
    );
    expect(await refusedTarget('http://localhost:9464/internal/frames/x', none)).toMatch(
      /localhost resolves to the internal address/,
    );
    expect(await refusedTarget('http://[::1]:3000/', none)).toMatch(/::1 is an internal address/);
    expect(await refusedTarget('http://[::ffff:7f00:1]:9464/', none)).toMatch(/::ffff:7f00:1 is an internal address/);
    expect(await refusedTarget('http://2130706433:9464/', none)).toMatch(/127\.0\.0\.1 is an internal address/);
    expect(await refusedTarget('http://hooks.example/x', none, answers('8.8.8.8', '10.0.0.7'))).toMatch(
      /hooks\.example resolves to the internal address 10\.0\.0\.7/,
    );
    expect(await refusedTarget('http://10.0.0.5/hook', new Set(['10.0.0.5']))).toBeNull();
    // The allow list names hosts as written: another spelling of an allowed IP is not the allowed host.
    expect(await refusedTarget('http://[::ffff:a00:5]/hook', allowedNotificationHosts('10.0.0.5', []))).toMatch(
      /internal address/,
    );
    expect(await refusedTarget('http://0x0a.0.0.5/hook', allowedNotificationHosts('10.0.0.5', []))).toBeNull();
    expect(await refusedTarget('https://8.8.8.8/hook', none)).toBeNull();
    expect(await refusedTarget('https://hooks.example/x', none, answers('8.8.8.8'))).toBeNull();
  });

  it('allows NOTIFY_ALLOWED_HOSTS and the hosts of the configured channels', () => {
    expect(
      [...allowedNotificationHosts(' hooks.campus.local ,10.0.0.5', ['http://receiver.lan:8080/x', undefined])].sort(),
    ).toEqual(['10.0.0.5', 'hooks.campus.local', 'receiver.lan']);
  });
});
