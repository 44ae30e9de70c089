import type { VerificationStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { CONCURRENT_CALLER_COUNT, raceCallers } from './concurrent-callers.js'
import { buildVerification, createTestHash, createTestId } from './conformance-records.js'

export function describeVerificationStoreConformance(openStore: () => Promise<VerificationStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner
  describe('verifications', () => {
    it('consumes a record once', async () => {
      const verifications = await openStore()
      const record = buildVerification()
      await verifications.create(record)
      assert.deepEqual(await verifications.consume(record.purpose, record.secretHash, record.createdAt), record)
      assert.equal(await verifications.consume(record.purpose, record.secretHash, record.createdAt), null)
      assert.equal(await verifications.find(record.purpose, record.subject, record.createdAt), null)
    })

    it('keeps a record without user or data', async () => {
      const verifications = await openStore()
      const record = buildVerification({ purpose: 'oidc_state', userId: null, data: null })
      await verifications.create(record)
      assert.deepEqual(await verifications.find(record.purpose, record.subject, record.createdAt), record)
      assert.deepEqual(await verifications.consume(record.purpose, record.secretHash, record.createdAt), record)
    })

    it('only consumes for the record purpose', async () => {
      const verifications = await openStore()
      const record = buildVerification({ purpose: 'password_reset' })
      await verifications.create(record)
      assert.equal(await verifications.consume('magic_link', record.secretHash, record.createdAt), null)
      assert.equal(await verifications.consume(record.purpose, createTestHash(), record.createdAt), null)
      assert.deepEqual(await verifications.consume(record.purpose, record.secretHash, record.createdAt), record)
    })

    it('answers null to consume and find once the record expired', async () => {
      const verifications = await openStore()
      const record = buildVerification()
      await verifications.create(record)
      assert.deepEqual(await verifications.find(record.purpose, record.subject, record.expiresAt - 1), record)
      assert.equal(await verifications.find(record.purpose, record.subject, record.expiresAt), null)
      assert.equal(await verifications.consume(record.purpose, record.secretHash, record.expiresAt), null)
      assert.equal(await verifications.consume(record.purpose, record.secretHash, record.expiresAt + 1), null)
    })

    it('gives a record to exactly one of concurrent consumers', async () => {
      const verifications = await openStore()
      const record = buildVerification()
      await verifications.create(record)
      const results = await raceCallers(() => verifications.consume(record.purpose, record.secretHash, record.createdAt))
      const winners = results.filter((result) => result !== null)
      assert.deepEqual(winners, [record])
    })

    it('finds by purpose and subject only', async () => {
      const verifications = await openStore()
      const record = buildVerification({ purpose: 'otp' })
      await verifications.create(record)
      assert.deepEqual(await verifications.find('otp', record.subject, record.createdAt), record)
      assert.equal(await verifications.find('magic_link', record.subject, record.createdAt), null)
      assert.equal(await verifications.find('otp', `${createTestId()}@example.test`, record.createdAt), null)
    })

    it('supersedes the record with the same purpose and subject', async () => {
      const verifications = await openStore()
      const old = buildVerification()
      await verifications.create(old)
      const otherPurpose = buildVerification({ subject: old.subject, purpose: 'password_reset' })
      const otherSubject = buildVerification()
      await verifications.create(otherPurpose)
      await verifications.create(otherSubject)
      const replacement = buildVerification({ subject: old.subject, userId: old.userId, createdAt: old.createdAt + 1 })
      await verifications.create(replacement)
      const now = replacement.createdAt
      assert.equal(await verifications.consume(old.purpose, old.secretHash, now), null)
      assert.deepEqual(await verifications.find(old.purpose, old.subject, now), replacement)
      assert.deepEqual(await verifications.find(otherPurpose.purpose, otherPurpose.subject, now), otherPurpose)
      assert.deepEqual(await verifications.find(otherSubject.purpose, otherSubject.subject, now), otherSubject)
      assert.equal(await verifications.delete(old.id), false)
      assert.deepEqual(await verifications.consume(replacement.purpose, replacement.secretHash, now), replacement)
    })

    it('keeps records of different subjects that share a secret hash apart', async () => {
      const verifications = await openStore()
      const secretHash = createTestHash()
      const first = buildVerification({ purpose: 'otp', secretHash })
      const second = buildVerification({ purpose: 'otp', secretHash })
      await verifications.create(first)
      await verifications.create(second)
      assert.deepEqual(await verifications.find('otp', first.subject, first.createdAt), first)
      assert.deepEqual(await verifications.find('otp', second.subject, second.createdAt), second)
      const consumed = await verifications.consume('otp', secretHash, first.createdAt)
      assert.ok(consumed !== null && [first.id, second.id].includes(consumed.id))
    })

    it('counts attempts atomically and answers 0 once the record is gone', async () => {
      const verifications = await openStore()
      const record = buildVerification({ purpose: 'otp' })
      await verifications.create(record)
      assert.equal(await verifications.addAttempt(record.id), 1)
      assert.equal(await verifications.addAttempt(record.id), 2)
      assert.equal((await verifications.find('otp', record.subject, record.createdAt))?.attempts, 2)
      const counts = await raceCallers(() => verifications.addAttempt(record.id))
      assert.deepEqual(
        counts.sort((a, b) => a - b),
        Array.from({ length: CONCURRENT_CALLER_COUNT }, (_, index) => index + 3),
      )
      assert.equal(
        (await verifications.consume('otp', record.secretHash, record.createdAt))?.attempts,
        CONCURRENT_CALLER_COUNT + 2,
      )
      assert.equal(await verifications.addAttempt(record.id), 0)
    })

    it('deletes once', async () => {
      const verifications = await openStore()
      const record = buildVerification()
      await verifications.create(record)
      assert.equal(await verifications.delete(record.id), true)
      assert.equal(await verifications.delete(record.id), false)
      assert.equal(await verifications.find(record.purpose, record.subject, record.createdAt), null)
      assert.equal(await verifications.consume(record.purpose, record.secretHash, record.createdAt), null)
    })

    it('deletes every record of a user and no other', async () => {
      const verifications = await openStore()
      const userId = createTestId()
      const own = [
        buildVerification({ userId, purpose: 'magic_link' }),
        buildVerification({ userId, purpose: 'password_reset' }),
      ]
      const anonymous = buildVerification({ userId: null })
      const other = buildVerification()
      for (const record of [...own, anonymous, other]) await verifications.create(record)
      assert.equal(await verifications.deleteByUser(userId), 2)
      assert.equal(await verifications.deleteByUser(userId), 0)
      for (const record of own) {
        assert.equal(await verifications.find(record.purpose, record.subject, record.createdAt), null)
      }
      assert.deepEqual(await verifications.find(anonymous.purpose, anonymous.subject, anonymous.createdAt), anonymous)
      assert.deepEqual(await verifications.find(other.purpose, other.subject, other.createdAt), other)
    })

    it('returns copies that do not alias the stored record', async () => {
      const verifications = await openStore()
      const record = buildVerification({ data: { redirectTo: '/a', medium: 'email' } })
      const original = structuredClone(record)
      await verifications.create(record)
      if (record.data !== null) record.data.redirectTo = '/mutated-input'
      const found = await verifications.find(record.purpose, record.subject, record.createdAt)
      if (found?.data == null) throw new Error('record missing')
      found.data.redirectTo = '/mutated-output'
      found.attempts = 99
      assert.deepEqual(await verifications.consume(record.purpose, record.secretHash, record.createdAt), original)
    })
  })
}
