import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeBase32 } from '../../src/crypto/base32.js'
import { type TotpParameters, computeTotpCode, matchTotpCode } from '../../src/features/totp/totp-code.js'
import { referenceBase32Encode, referenceTotp } from '../support/reference-totp.js'

// RFC 6238 Appendix B: 8 digits, 30-second steps, T0 = 0, a seed per algorithm.
const seeds = {
  sha1: '12345678901234567890',
  sha256: '12345678901234567890123456789012',
  sha512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const

const vectors: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
]

const rows = vectors.flatMap(([time, sha1, sha256, sha512]) =>
  (
    [
      ['sha1', sha1],
      ['sha256', sha256],
      ['sha512', sha512],
    ] as const
  ).map(([algorithm, code]) => ({ time, algorithm, code })),
)

function rfcParameters(algorithm: TotpParameters['algorithm']): TotpParameters {
  return { algorithm, digits: 8, periodSeconds: 30, windowSteps: 1 }
}

describe('TOTP codes (RFC 6238)', () => {
  it.each(rows)('$algorithm at T=$time is $code, computed and matched by our code path', async ({ time, algorithm, code }) => {
    const secret = referenceBase32Encode(Buffer.from(seeds[algorithm], 'ascii'))
    const parameters = rfcParameters(algorithm)
    expect(await computeTotpCode(secret, parameters, time)).toBe(code)
    expect(await matchTotpCode(secret, code, parameters, time)).toBe(Math.floor(time / 30))
    // The same code with a digit changed is refused.
    const wrong = `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}`
    expect(await matchTotpCode(secret, wrong, parameters, time)).toBeNull()
  })

  it('agrees with an independent node:crypto implementation for random secrets, times and options', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.integer({ min: 0, max: 2 ** 35 }),
        fc.constantFrom('sha1', 'sha256', 'sha512'),
        fc.integer({ min: 6, max: 8 }),
        fc.constantFrom(30, 60),
        async (key, epochSeconds, algorithm, digits, periodSeconds) => {
          const parameters: TotpParameters = { algorithm, digits, periodSeconds, windowSteps: 1 }
          const secret = encodeBase32(key)
          expect(secret).toBe(referenceBase32Encode(key))
          const expected = referenceTotp(key, epochSeconds, { algorithm, digits, periodSeconds })
          expect(await computeTotpCode(secret, parameters, epochSeconds)).toBe(expected)
          expect(await matchTotpCode(secret, expected, parameters, epochSeconds)).toBe(Math.floor(epochSeconds / periodSeconds))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('accepts one step of skew each side by default, refuses two, and honours windowSteps', async () => {
    const key = Buffer.from(seeds.sha1, 'ascii')
    const secret = encodeBase32(key)
    const now = 1_700_000_015
    const step = Math.floor(now / 30)
    const parameters = rfcParameters('sha1')
    for (const offset of [-1, 0, 1]) {
      const code = referenceTotp(key, now + offset * 30, { digits: 8 })
      expect(await matchTotpCode(secret, code, parameters, now)).toBe(step + offset)
    }
    for (const offset of [-2, 2]) {
      expect(await matchTotpCode(secret, referenceTotp(key, now + offset * 30, { digits: 8 }), parameters, now)).toBeNull()
    }
    const strict = { ...parameters, windowSteps: 0 }
    expect(await matchTotpCode(secret, referenceTotp(key, now - 30, { digits: 8 }), strict, now)).toBeNull()
    const wide = { ...parameters, windowSteps: 2 }
    expect(await matchTotpCode(secret, referenceTotp(key, now - 60, { digits: 8 }), wide, now)).toBe(step - 2)
  })

  it('refuses steps at or before the last used one, and malformed codes without throwing', async () => {
    const key = Buffer.from(seeds.sha1, 'ascii')
    const secret = encodeBase32(key)
    const parameters: TotpParameters = { algorithm: 'sha1', digits: 6, periodSeconds: 30, windowSteps: 1 }
    const now = 1_700_000_000
    const step = Math.floor(now / 30)
    const code = referenceTotp(key, now)
    expect(await matchTotpCode(secret, code, parameters, now, step)).toBeNull()
    expect(await matchTotpCode(secret, code, parameters, now, step - 1)).toBe(step)
    expect(await matchTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, parameters, now)).toBe(step)
    for (const bad of ['', 'abcdef', '12345', '1234567', '12345a', '１２３４５６']) {
      expect(await matchTotpCode(secret, bad, parameters, now)).toBeNull()
    }
  })
})
