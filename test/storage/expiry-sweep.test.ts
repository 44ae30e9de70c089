import { describe, expect, it } from 'vitest'
import { createExpirySweep } from '../../src/storage/expiry-sweep.js'

describe('createExpirySweep', () => {
  it('keeps a map of short-lived entries bounded while entries keep coming', () => {
    const expiresAtByKey = new Map<number, number>()
    const sweep = createExpirySweep(
      expiresAtByKey,
      (expiresAt, now) => now >= expiresAt,
      (key) => expiresAtByKey.delete(key),
    )
    let largestSize = 0
    for (let now = 0; now < 10_000; now++) {
      expiresAtByKey.set(now, now + 10)
      sweep(now)
      largestSize = Math.max(largestSize, expiresAtByKey.size)
    }
    expect(largestSize).toBeLessThan(30)
  })

  it('never drops an unexpired entry', () => {
    const expiresAtByKey = new Map([
      ['a', 100],
      ['b', 5],
    ])
    const sweep = createExpirySweep(
      expiresAtByKey,
      (expiresAt, now) => now >= expiresAt,
      (key) => expiresAtByKey.delete(key),
    )
    for (let step = 0; step < 10; step++) sweep(50)
    expect([...expiresAtByKey.keys()]).toEqual(['a'])
  })
})
