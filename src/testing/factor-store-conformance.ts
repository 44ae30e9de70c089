import { describe, expect, it } from 'vitest'
import type { FactorStore } from '../storage/ports.js'
import { countTrue, raceCallers } from './concurrent-callers.js'
import { buildFactor, createTestId } from './conformance-records.js'

export function describeFactorStoreConformance(openStore: () => Promise<FactorStore>): void {
  describe('factors', () => {
    it('creates a factor readable by id', async () => {
      const factors = await openStore()
      const factor = buildFactor({ confirmedAt: Date.now(), lastUsedStep: 57_000_000 })
      await factors.create(factor)
      expect(await factors.getById(factor.id)).toEqual(factor)
      expect(await factors.getById(createTestId())).toBeNull()
    })

    it('lists a user factors in creation order, of one kind when asked', async () => {
      const factors = await openStore()
      const userId = createTestId()
      const start = Date.now()
      const own = [
        buildFactor({ userId, kind: 'totp', createdAt: start }),
        buildFactor({ userId, kind: 'recovery_code', secret: 'hash-1', createdAt: start + 1 }),
        buildFactor({ userId, kind: 'recovery_code', secret: 'hash-2', createdAt: start + 2 }),
        buildFactor({ userId, kind: 'secondary_password', secret: 'hash-3', createdAt: start + 3 }),
      ]
      for (const factor of own) await factors.create(factor)
      await factors.create(buildFactor())
      expect(await factors.listByUser(userId)).toEqual(own)
      expect(await factors.listByUser(userId, 'recovery_code')).toEqual([own[1], own[2]])
      expect(await factors.listByUser(userId, 'secondary_password')).toEqual([own[3]])
      expect(await factors.listByUser(createTestId())).toEqual([])
    })

    it('applies only the fields present in a patch', async () => {
      const factors = await openStore()
      const factor = buildFactor()
      await factors.create(factor)
      const confirmedAt = factor.createdAt + 1000
      expect(await factors.update(factor.id, { confirmedAt })).toBe(true)
      expect(await factors.getById(factor.id)).toEqual({ ...factor, confirmedAt })
      expect(await factors.update(factor.id, { secret: 'v1.rotated' })).toBe(true)
      expect(await factors.getById(factor.id)).toEqual({ ...factor, confirmedAt, secret: 'v1.rotated' })
      expect(await factors.update(createTestId(), { confirmedAt })).toBe(false)
    })

    it('advances the step only forward', async () => {
      const factors = await openStore()
      const factor = buildFactor()
      await factors.create(factor)
      expect(await factors.advanceStep(factor.id, 100)).toBe(true)
      expect(await factors.advanceStep(factor.id, 100)).toBe(false)
      expect(await factors.advanceStep(factor.id, 99)).toBe(false)
      expect(await factors.advanceStep(factor.id, 101)).toBe(true)
      expect((await factors.getById(factor.id))?.lastUsedStep).toBe(101)
      expect(await factors.advanceStep(createTestId(), 1)).toBe(false)
    })

    it('advances one step for exactly one of concurrent callers', async () => {
      const factors = await openStore()
      const factor = buildFactor({ lastUsedStep: 10 })
      await factors.create(factor)
      expect(countTrue(await raceCallers(() => factors.advanceStep(factor.id, 11)))).toBe(1)
      expect((await factors.getById(factor.id))?.lastUsedStep).toBe(11)
    })

    it('deletes once', async () => {
      const factors = await openStore()
      const factor = buildFactor({ kind: 'recovery_code' })
      await factors.create(factor)
      expect(await factors.delete(factor.id)).toBe(true)
      expect(await factors.delete(factor.id)).toBe(false)
      expect(await factors.getById(factor.id)).toBeNull()
      expect(await factors.listByUser(factor.userId)).toEqual([])
    })

    it('answers true to exactly one of concurrent deletes', async () => {
      const factors = await openStore()
      const factor = buildFactor({ kind: 'recovery_code' })
      await factors.create(factor)
      expect(countTrue(await raceCallers(() => factors.delete(factor.id)))).toBe(1)
    })

    it('deletes a user factors, of one kind when asked', async () => {
      const factors = await openStore()
      const userId = createTestId()
      const start = Date.now()
      const totp = buildFactor({ userId, createdAt: start })
      const codes = [1, 2, 3].map((offset) => buildFactor({ userId, kind: 'recovery_code', createdAt: start + offset }))
      for (const factor of [totp, ...codes]) await factors.create(factor)
      const other = buildFactor({ kind: 'recovery_code' })
      await factors.create(other)
      expect(await factors.deleteByUser(userId, 'recovery_code')).toBe(3)
      expect(await factors.listByUser(userId)).toEqual([totp])
      expect(await factors.deleteByUser(userId)).toBe(1)
      expect(await factors.deleteByUser(userId)).toBe(0)
      expect(await factors.getById(other.id)).toEqual(other)
    })

    it('returns copies that do not alias the stored record', async () => {
      const factors = await openStore()
      const factor = buildFactor()
      const original = { ...factor }
      await factors.create(factor)
      factor.secret = 'mutated input'
      const read = await factors.getById(factor.id)
      if (read === null) throw new Error('factor missing')
      read.lastUsedStep = 5
      const [listed] = await factors.listByUser(factor.userId)
      if (listed !== undefined) listed.confirmedAt = 1
      expect(await factors.getById(factor.id)).toEqual(original)
    })
  })
}
