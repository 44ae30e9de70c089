import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { systemRandom } from '../../src/config/clock.js'
import { openSealedSecret, openSecret, sealSecret } from '../../src/crypto/secret-box.js'

const config = { secret: 'a-configured-secret-of-at-least-32-chars', previousSecrets: [], random: systemRandom }

describe('secret box (AES-256-GCM at rest)', () => {
  it('opens what it sealed, with a fresh IV each time and no plaintext in the output', () => {
    const plaintext = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
    const first = sealSecret(config, plaintext, 'totp:f1:u1')
    const second = sealSecret(config, plaintext, 'totp:f1:u1')
    expect(first).not.toBe(second)
    expect(first).not.toContain(plaintext)
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    expect(openSecret(config, first, 'totp:f1:u1')).toBe(plaintext)
    expect(openSecret(config, second, 'totp:f1:u1')).toBe(plaintext)
  })

  it('refuses another context, another secret, and any altered byte', () => {
    const sealed = sealSecret(config, 'JBSWY3DPEHPK3PXPJBSWY3DP', 'totp:f1:u1')
    expect(() => openSecret(config, sealed, 'totp:f1:u2')).toThrow()
    expect(() => openSecret({ secret: randomBytes(32).toString('hex'), previousSecrets: [] }, sealed, 'totp:f1:u1')).toThrow()
    const [version, iv, body] = sealed.split('.') as [string, string, string]
    const bytes = Buffer.from(body, 'base64url')
    for (let index = 0; index < bytes.length; index++) {
      const altered = Buffer.from(bytes)
      altered[index] = altered[index]! ^ 1
      expect(() => openSecret(config, `${version}.${iv}.${altered.toString('base64url')}`, 'totp:f1:u1')).toThrow()
    }
    for (const malformed of ['', 'v1', 'v2.a.b', `v1.${iv}`, `v1.AAAA.${body}`]) {
      expect(() => openSecret(config, malformed, 'totp:f1:u1')).toThrow()
    }
  })

  it('opens with a retired secret and says the value is stale; a secret no longer listed opens nothing', () => {
    const old = sealSecret(config, 'JBSWY3DPEHPK3PXP', 'totp:f1:u1')
    const rotated = { ...config, secret: 'the-new-current-secret-of-32-characters', previousSecrets: [config.secret] }
    expect(openSealedSecret(rotated, old, 'totp:f1:u1')).toEqual({ plaintext: 'JBSWY3DPEHPK3PXP', stale: true })
    const fresh = sealSecret(rotated, 'JBSWY3DPEHPK3PXP', 'totp:f1:u1')
    expect(openSealedSecret(rotated, fresh, 'totp:f1:u1')).toEqual({ plaintext: 'JBSWY3DPEHPK3PXP', stale: false })
    expect(() => openSecret(config, fresh, 'totp:f1:u1')).toThrow(/sealed under no configured secret/)
    expect(() => openSecret({ ...rotated, previousSecrets: [] }, old, 'totp:f1:u1')).toThrow(/sealed under no configured secret/)
  })
})
