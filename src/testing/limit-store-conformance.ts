import type { LimitStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { CONCURRENT_CALLER_COUNT, countTrue, raceCallers } from './concurrent-callers.js'
import { createTestId } from './conformance-records.js'

const WINDOW_SECONDS = 60
const WINDOW_MS = WINDOW_SECONDS * 1000

export function describeLimitStoreConformance(openStore: () => Promise<LimitStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner
  describe('limits', () => {
    it('counts hits in a window that starts at the first hit', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      const resetAt = start + WINDOW_MS
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, start), { count: 1, resetAt })
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, start + 1000), { count: 2, resetAt })
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, resetAt - 1), { count: 3, resetAt })
    })

    it('starts a new window at count 1 once the window has ended', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      await limits.hit(key, WINDOW_SECONDS, start)
      await limits.hit(key, WINDOW_SECONDS, start + 1)
      const next = start + WINDOW_MS
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, next), { count: 1, resetAt: next + WINDOW_MS })
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, next + 1), { count: 2, resetAt: next + WINDOW_MS })
    })

    it('keeps keys apart', async () => {
      const limits = await openStore()
      const start = Date.now()
      const first = createTestId()
      await limits.hit(first, WINDOW_SECONDS, start)
      assert.equal((await limits.hit(createTestId(), WINDOW_SECONDS, start)).count, 1)
      assert.equal((await limits.hit(first, WINDOW_SECONDS, start)).count, 2)
    })

    it('answers counts 1..N exactly once each to N concurrent hits', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      const hits = await raceCallers(() => limits.hit(key, WINDOW_SECONDS, start))
      const counts = hits.map((hit) => hit.count).sort((a, b) => a - b)
      assert.deepEqual(counts, Array.from({ length: CONCURRENT_CALLER_COUNT }, (_, index) => index + 1))
      for (const hit of hits) assert.equal(hit.resetAt, start + WINDOW_MS)
    })

    it('forgets the counter on reset', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      await limits.hit(key, WINDOW_SECONDS, start)
      await limits.hit(key, WINDOW_SECONDS, start)
      await limits.reset(key)
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, start + 5), { count: 1, resetAt: start + 5 + WINDOW_MS })
      await limits.reset(createTestId())
    })

    it('gives back one hit on release, never below 0, keeping the window', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      const resetAt = start + WINDOW_MS
      await limits.hit(key, WINDOW_SECONDS, start)
      await limits.hit(key, WINDOW_SECONDS, start)
      await limits.release(key)
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, start + 1), { count: 2, resetAt })
      for (let release = 0; release < 4; release++) await limits.release(key)
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, start + 2), { count: 1, resetAt })
    })

    it('does nothing on release of a key never hit or reset', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      await limits.release(key)
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, start), { count: 1, resetAt: start + WINDOW_MS })
      await limits.reset(key)
      await limits.release(key)
      assert.deepEqual(await limits.hit(key, WINDOW_SECONDS, start + 5), { count: 1, resetAt: start + 5 + WINDOW_MS })
    })

    it('loses no update when hits and releases race, and never goes below 0', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      await raceCallers(() => limits.hit(key, WINDOW_SECONDS, start))
      // Each caller takes a slot and gives it back: the count must end where it began.
      await raceCallers(async () => {
        await limits.hit(key, WINDOW_SECONDS, start)
        await limits.release(key)
      })
      assert.equal((await limits.hit(key, WINDOW_SECONDS, start)).count, CONCURRENT_CALLER_COUNT + 1)
      // More releases than hits, all at once: the count stops at 0.
      await Promise.all([raceCallers(() => limits.release(key)), raceCallers(() => limits.release(key))])
      assert.equal((await limits.hit(key, WINDOW_SECONDS, start)).count, 1)
    })

    it('claims a key once until the claim expires', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      const expiresAt = start + WINDOW_MS
      assert.equal(await limits.claim(key, expiresAt, start), true)
      assert.equal(await limits.claim(key, expiresAt + WINDOW_MS, start + 1), false)
      assert.equal(await limits.claim(key, expiresAt + WINDOW_MS, expiresAt - 1), false)
      assert.equal(await limits.claim(key, expiresAt + WINDOW_MS, expiresAt), true)
      assert.equal(await limits.claim(key, expiresAt + 2 * WINDOW_MS, expiresAt + 1), false)
    })

    it('keeps claims on different keys apart', async () => {
      const limits = await openStore()
      const start = Date.now()
      assert.equal(await limits.claim(createTestId(), start + WINDOW_MS, start), true)
      assert.equal(await limits.claim(createTestId(), start + WINDOW_MS, start), true)
    })

    it('grants a claim to exactly one of concurrent callers', async () => {
      const limits = await openStore()
      const key = createTestId()
      const start = Date.now()
      assert.equal(countTrue(await raceCallers(() => limits.claim(key, start + WINDOW_MS, start))), 1)
    })
  })
}
