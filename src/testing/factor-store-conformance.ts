import type { FactorStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { countTrue, raceCallers } from './concurrent-callers.js'
import { buildFactor, createTestId } from './conformance-records.js'

export function describeFactorStoreConformance(openStore: () => Promise<FactorStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner
  describe('factors', () => {
    it('creates a factor readable by id', async () => {
      const factors = await openStore()
      const factor = buildFactor({ confirmedAt: Date.now(), lastUsedStep: 57_000_000 })
      await factors.create(factor)
      assert.deepEqual(await factors.getById(factor.id), factor)
      assert.equal(await factors.getById(createTestId()), null)
    })

    it('keeps a passkey with its name and data, and refuses a second factor with the same id', async () => {
      const factors = await openStore()
      const passkey = buildFactor({
        kind: 'passkey',
        secret: 'pQECAyYgASFYIA',
        confirmedAt: Date.now(),
        lastUsedStep: 0,
        name: 'Laptop',
        data: { credentialId: 'Y3JlZGVudGlhbA', transports: 'internal,hybrid' },
        lastUsedAt: Date.now(),
      })
      assert.equal(await factors.create(passkey), 'created')
      assert.deepEqual(await factors.getById(passkey.id), passkey)
      assert.equal(await factors.create(buildFactor({ id: passkey.id, kind: 'passkey', name: 'Intruder' })), 'id_taken')
      assert.deepEqual(await factors.getById(passkey.id), passkey)
      assert.deepEqual(await factors.listByUser(passkey.userId, 'passkey'), [passkey])
    })

    it('creates a factor for exactly one of concurrent creates with one id', async () => {
      const factors = await openStore()
      const id = createTestId()
      const outcomes = await raceCallers(() => factors.create(buildFactor({ id, kind: 'passkey' })))
      assert.equal(outcomes.filter((outcome) => outcome === 'created').length, 1)
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
      assert.deepEqual(await factors.listByUser(userId), own)
      assert.deepEqual(await factors.listByUser(userId, 'recovery_code'), [own[1], own[2]])
      assert.deepEqual(await factors.listByUser(userId, 'secondary_password'), [own[3]])
      assert.deepEqual(await factors.listByUser(createTestId()), [])
    })

    it('applies only the fields present in a patch', async () => {
      const factors = await openStore()
      const factor = buildFactor()
      await factors.create(factor)
      const confirmedAt = factor.createdAt + 1000
      assert.equal(await factors.update(factor.id, { confirmedAt }), true)
      assert.deepEqual(await factors.getById(factor.id), { ...factor, confirmedAt })
      assert.equal(await factors.update(factor.id, { secret: 'v1.rotated' }), true)
      assert.deepEqual(await factors.getById(factor.id), { ...factor, confirmedAt, secret: 'v1.rotated' })
      assert.equal(await factors.update(factor.id, { name: 'Phone', lastUsedAt: confirmedAt + 1 }), true)
      assert.deepEqual(await factors.getById(factor.id), { ...factor, confirmedAt, secret: 'v1.rotated', name: 'Phone', lastUsedAt: confirmedAt + 1 })
      assert.equal(await factors.update(createTestId(), { confirmedAt }), false)
    })

    it('advances the step only forward', async () => {
      const factors = await openStore()
      const factor = buildFactor()
      await factors.create(factor)
      assert.equal(await factors.advanceStep(factor.id, 100), true)
      assert.equal(await factors.advanceStep(factor.id, 100), false)
      assert.equal(await factors.advanceStep(factor.id, 99), false)
      assert.equal(await factors.advanceStep(factor.id, 101), true)
      assert.equal((await factors.getById(factor.id))?.lastUsedStep, 101)
      assert.equal(await factors.advanceStep(createTestId(), 1), false)
    })

    it('advances one step for exactly one of concurrent callers', async () => {
      const factors = await openStore()
      const factor = buildFactor({ lastUsedStep: 10 })
      await factors.create(factor)
      assert.equal(countTrue(await raceCallers(() => factors.advanceStep(factor.id, 11))), 1)
      assert.equal((await factors.getById(factor.id))?.lastUsedStep, 11)
    })

    it('deletes once', async () => {
      const factors = await openStore()
      const factor = buildFactor({ kind: 'recovery_code' })
      await factors.create(factor)
      assert.equal(await factors.delete(factor.id), true)
      assert.equal(await factors.delete(factor.id), false)
      assert.equal(await factors.getById(factor.id), null)
      assert.deepEqual(await factors.listByUser(factor.userId), [])
    })

    it('answers true to exactly one of concurrent deletes', async () => {
      const factors = await openStore()
      const factor = buildFactor({ kind: 'recovery_code' })
      await factors.create(factor)
      assert.equal(countTrue(await raceCallers(() => factors.delete(factor.id))), 1)
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
      assert.equal(await factors.deleteByUser(userId, 'recovery_code'), 3)
      assert.deepEqual(await factors.listByUser(userId), [totp])
      assert.equal(await factors.deleteByUser(userId), 1)
      assert.equal(await factors.deleteByUser(userId), 0)
      assert.deepEqual(await factors.getById(other.id), other)
    })

    it('returns copies that do not alias the stored record', async () => {
      const factors = await openStore()
      const factor = buildFactor({ data: { credentialId: 'original' } })
      const original = { ...factor, data: { credentialId: 'original' } }
      await factors.create(factor)
      factor.secret = 'mutated input'
      factor.data!.credentialId = 'mutated input'
      const read = await factors.getById(factor.id)
      if (read === null) throw new Error('factor missing')
      read.lastUsedStep = 5
      if (read.data !== null) read.data.credentialId = 'mutated'
      const [listed] = await factors.listByUser(factor.userId)
      if (listed !== undefined) listed.confirmedAt = 1
      assert.deepEqual(await factors.getById(factor.id), original)
    })
  })
}
