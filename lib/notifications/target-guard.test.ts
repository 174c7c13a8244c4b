import { describe, expect, it } from 'vitest';
import { allowedNotificationHosts, isInternalAddress, refusedTarget } from './target-guard';

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
    ]) {
      expect(isInternalAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:1.1.1.1'])
      expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('refuses targets that are or resolve to internal addresses, unless the host is allowed', async () => {
    const none = new Set<string>();
    expect(await refusedTarget('http://169.254.169.254/latest/meta-data', none)).toMatch(
      /internal address 169\.254\.169\.254/,
    );
    expect(await refusedTarget('http://localhost:9464/internal/frames/x', none)).toMatch(
      /localhost resolves to the internal address/,
    );
    expect(await refusedTarget('http://[::1]:3000/', none)).toMatch(/internal address ::1/);
    expect(await refusedTarget('http://10.0.0.5/hook', new Set(['10.0.0.5']))).toBeNull();
    expect(await refusedTarget('https://8.8.8.8/hook', none)).toBeNull();
  });

  it('allows NOTIFY_ALLOWED_HOSTS and the hosts of the configured channels', () => {
    expect(
      [...allowedNotificationHosts(' hooks.campus.local ,10.0.0.5', ['http://receiver.lan:8080/x', undefined])].sort(),
    ).toEqual(['10.0.0.5', 'hooks.campus.local', 'receiver.lan']);
  });
});
