import { describe, expect, it } from 'vitest'
import { clientIpKey } from '../../src/http/client-ip-key.js'

describe('clientIpKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientIpKey('203.0.113.7')).toBe('203.0.113.7')
    expect(clientIpKey(' 203.0.113.7 ')).toBe('203.0.113.7')
  })

  it('keys IPv6 by its /64 prefix, however the address is written', () => {
    const key = '2001:db8:a:b::/64'
    for (const address of [
      '2001:db8:a:b::1',
      '2001:db8:a:b:ffff:ffff:ffff:ffff',
      '2001:0DB8:000A:000B:0000:0000:0000:0002',
      '2001:db8:a:b:1::',
      '2001:db8:a:b:0:0:1.2.3.4',
      '[2001:db8:a:b::3]',
      '[2001:db8:a:b::3]:443',
    ]) {
      expect(clientIpKey(address), address).toBe(key)
    }
    expect(clientIpKey('2001:db8:a:c::1')).toBe('2001:db8:a:c::/64')
    expect(clientIpKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(clientIpKey('::1')).toBe('0:0:0:0::/64')
    expect(clientIpKey('::')).toBe('0:0:0:0::/64')
  })

  it('drops a zone id', () => {
    expect(clientIpKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(clientIpKey('fe80::2%25en0')).toBe('fe80:0:0:0::/64')
  })

  it('keys an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(clientIpKey('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(clientIpKey('::FFFF:cb00:7107')).toBe('203.0.113.7')
    expect(clientIpKey('0:0:0:0:0:ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(clientIpKey('::ffff:127.0.0.1')).toBe('127.0.0.1')
  })

  it('strips a port from an IPv4 address', () => {
    expect(clientIpKey('203.0.113.7:51234')).toBe('203.0.113.7')
  })

  it('keeps what it cannot parse as given, so it still limits that string', () => {
    for (const text of ['', 'unknown', '1:2:3:4:5:6:7:8:9', '2001:db8::a::1', '12345::1', '1.2.3.256', '01.2.3.4', '::ffff:1.2.3']) {
      expect(clientIpKey(text), text).toBe(text)
    }
  })
})
