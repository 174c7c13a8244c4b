import { describe, expect, it } from 'vitest';
import { formatMessage, requestLang, statusText, translator } from './dictionary';

describe('dictionary', () => {
  it('fills placeholders and translates statuses and the sign-out button', () => {
    expect(formatMessage('en', 'enroll.summary', { added: 1, already: 0 })).toBe(
      '1 student(s) added, 0 already enrolled.',
    );
    const t = translator('id');
    expect([statusText(t, 'present'), statusText(t, 'absent'), statusText(t, 'late'), statusText(t, 'open')]).toEqual([
      'hadir',
      'tidak hadir',
      'terlambat',
      'berlangsung',
    ]);
    expect(t('nav.signOut')).toBe('Keluar');
    expect(statusText(t, 'weird')).toBe('weird');
  });

  it('reads the language of an API request from the lang cookie, then Accept-Language', () => {
    expect(requestLang(new Request('http://x', { headers: { cookie: 'a=1; lang=id' } }))).toBe('id');
    expect(requestLang(new Request('http://x', { headers: { cookie: 'lang=en', 'accept-language': 'id-ID' } }))).toBe(
      'en',
    );
    expect(requestLang(new Request('http://x', { headers: { 'accept-language': 'id-ID,id;q=0.9,en;q=0.8' } }))).toBe(
      'id',
    );
    expect(requestLang(new Request('http://x'))).toBe('en');
  });
});
