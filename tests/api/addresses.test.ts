import { describe, expect, it } from 'vitest';
import { addressKey, parseTrustProxy } from '../../server/domain/addresses.js';
import { loadConfig } from '../../server/config.js';
import { buildTestHall, expectError, type TestHall } from '../helpers.js';

/**
 * A client's address is the one the nearest trusted proxy saw: what the client writes into
 * X-Forwarded-For itself never becomes its address, for limits or for the audit log. IPv6 is
 * counted per /64.
 */
describe('address keys', () => {
  it('group IPv6 by /64 and keep IPv4 as it is', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('TRUST_PROXY takes a hop count or the proxies\' addresses; true is the nearest proxy only', () => {
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8, ::1, loopback')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'loopback']);
    for (const bad of ['yes', '10.0.0.0/33', 'nginx.local', '1.2.3.4/8/1']) expect(parseTrustProxy(bad)).toBeNull();
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1']);
  });
});

async function lookUps(t: TestHall, n: number, headers: (i: number) => Record<string, string>, remoteAddress = '127.0.0.1') {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/appointments/00000000', headers: headers(i), remoteAddress });
    codes.push(res.statusCode);
  }
  return codes;
}

describe.each([
  ['the proxy\'s address', ['127.0.0.1'] as string[] | number],
  ['a hop count', 1],
])('behind a proxy configured by %s', (_, trustProxy) => {
  it('a client\'s own X-Forwarded-For entries never become its address (limits and audit log)', async () => {
    const t = await buildTestHall({ config: { trustProxy, bookingRequestsPerMinute: 5 } });
    try {
      // nginx appends the address it saw (10.1.2.3) after whatever the client sent.
      const spoofed = await lookUps(t, 8, (i) => ({ 'x-forwarded-for': `198.51.100.${i}, 10.1.2.3` }));
      expect(spoofed.filter((c) => c === 429)).toHaveLength(3);
      // Another client behind the same proxy has its own budget.
      expect(await lookUps(t, 1, () => ({ 'x-forwarded-for': '10.1.2.4' }))).toEqual([404]);
      // The audit log names the address the proxy saw.
      await t.app.inject({
        method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk01', password: 'not-the-password' },
        headers: { 'x-forwarded-for': '203.0.113.99, 10.1.2.5' },
      });
      const failed = await t.db.selectFrom('audit_log').select('ip').where('action', '=', 'login.failed').execute();
      expect(failed.map((r) => r.ip)).toEqual(['10.1.2.5']);
    } finally {
      await t.close();
    }
  });
});

describe('without a configured proxy', () => {
  it('X-Forwarded-For is ignored: the connection\'s address counts', async () => {
    const t = await buildTestHall({ config: { bookingRequestsPerMinute: 5 } });
    try {
      const codes = await lookUps(t, 7, (i) => ({ 'x-forwarded-for': `198.51.100.${i}` }), '203.0.113.5');
      expect(codes.filter((c) => c === 429)).toHaveLength(2);
    } finally {
      await t.close();
    }
  });

  it('one IPv6 /64 is one client for every per-address limit', async () => {
    const t = await buildTestHall({ config: { bookingRequestsPerMinute: 5 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/appointments/00000000', remoteAddress: `2001:db8:7:7::${(i + 1).toString(16)}` });
        codes.push(res.statusCode);
      }
      expect(codes.filter((c) => c === 429)).toHaveLength(2);
      // The next /64 is another line.
      const other = await t.app.inject({ method: 'GET', url: '/api/v1/public/appointments/00000000', remoteAddress: '2001:db8:7:8::1' });
      expect(other.statusCode).toBe(404);
      // Sign-in attempts too: rotating addresses inside a /64 buys nothing.
      const logins: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await t.app.inject({
          method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk05', password: `guess-${i}` }, remoteAddress: `2001:db8:9:9::${i + 1}`,
        });
        logins.push(res.statusCode);
      }
      expect(logins.slice(-2)).toEqual([429, 429]);
      expectError(await t.app.inject({ method: 'GET', url: '/api/v1/public/appointments/00000000', remoteAddress: '2001:db8:7:7:ffff:ffff:ffff:ffff' }), 429, 'RATE_LIMITED');
    } finally {
      await t.close();
    }
  });
});
