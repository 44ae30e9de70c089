import { describe, expect, it } from 'vitest'
import type { VerificationStore } from '../storage/ports.js'
import { CONCURRENT_CALLER_COUNT, raceCallers } from './concurrent-callers.js'
import { buildVerification, createTestHash, createTestId } from './conformance-records.js'

export function describeVerificationStoreConformance(openStore: () => Promise<VerificationStore>): void {
  describe('verifications', () => {
    it('consumes a record once', async () => {
      const verifications = await openStore()
      const record = buildVerification()
      await verifications.create(record)
      expect(await verifications.consume(record.purpose, record.secretHash, record.createdAt)).toEqual(record)
      expect(await verifications.consume(record.purpose, record.secretHash, record.createdAt)).toBeNull()
      expect(await verifications.find(record.purpose, record.subject, record.createdAt)).toBeNull()
    })

    it('keeps a record without user or data', async () => {
      const verifications = await openStore()
      const record = buildVerification({ purpose: 'oidc_state', userId: null, data: null })
      await verifications.create(record)
      expect(await verifications.find(record.purpose, record.subject, record.createdAt)).toEqual(record)
      expect(await verifications.consume(record.purpose, record.secretHash, record.createdAt)).toEqual(record)
    })

    it('only consumes for the record purpose', async () => {
      const verifications = await openStore()
      const record = buildVerification({ purpose: 'password_reset' })
      await verifications.create(record)
      expect(await verifications.consume('magic_link', record.secretHash, record.createdAt)).toBeNull()
      expect(await verifications.consume(record.purpose, createTestHash(), record.createdAt)).toBeNull()
      expect(await verifications.consume(record.purpose, record.secretHash, record.createdAt)).toEqual(record)
    })

    it('answers null to consume and find once the record expired', async () => {
      const verifications = await openStore()
      const record = buildVerification()
      await verifications.create(record)
      expect(await verifications.find(record.purpose, record.subject, record.expiresAt - 1)).toEqual(record)
      expect(await verifications.find(record.purpose, record.subject, record.expiresAt)).toBeNull()
      expect(await verifications.consume(record.purpose, record.secretHash, record.expiresAt)).toBeNull()
      expect(await verifications.consume(record.purpose, record.secretHash, record.expiresAt + 1)).toBeNull()
    })

    it('gives a record to exactly one of concurrent consumers', async () => {
      const verifications = await openStore()
      const record = buildVerification()
      await verifications.create(record)
      const results = await raceCallers(() => verifications.consume(record.purpose, record.secretHash, record.createdAt))
      const winners = results.filter((result) => result !== null)
      expect(winners).toEqual([record])
    })

    it('finds by purpose and subject only', async () => {
      const verifications = await openStore()
      const record = buildVerification({ purpose: 'otp' })
      await verifications.create(record)
      expect(await verifications.find('otp', record.subject, record.createdAt)).toEqual(record)
      expect(await verifications.find('magic_link', record.subject, record.createdAt)).toBeNull()
      expect(await verifications.find('otp', `${createTestId()}@example.test`, record.createdAt)).toBeNull()
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
      expect(await verifications.consume(old.purpose, old.secretHash, now)).toBeNull()
      expect(await verifications.find(old.purpose, old.subject, now)).toEqual(replacement)
      expect(await verifications.find(otherPurpose.purpose, otherPurpose.subject, now)).toEqual(otherPurpose)
      expect(await verifications.find(otherSubject.purpose, otherSubject.subject, now)).toEqual(otherSubject)
      expect(await verifications.delete(old.id)).toBe(false)
      expect(await verifications.consume(replacement.purpose, replacement.secretHash, now)).toEqual(replacement)
    })

    it('keeps records of different subjects that share a secret hash apart', async () => {
      const verifications = await openStore()
      const secretHash = createTestHash()
      const first = buildVerification({ purpose: 'otp', secretHash })
      const second = buildVerification({ purpose: 'otp', secretHash })
      await verifications.create(first)
      await verifications.create(second)
      expect(await verifications.find('otp', first.subject, first.createdAt)).toEqual(first)
      expect(await verifications.find('otp', second.subject, second.createdAt)).toEqual(second)
      const consumed = await verifications.consume('otp', secretHash, first.createdAt)
      expect([first.id, second.id]).toContain(consumed?.id)
    })

    it('counts attempts atomically and answers 0 once the record is gone', async () => {
      const verifications = await openStore()
      const record = buildVerification({ purpose: 'otp' })
      await verifications.create(record)
      expect(await verifications.addAttempt(record.id)).toBe(1)
      expect(await verifications.addAttempt(record.id)).toBe(2)
      expect((await verifications.find('otp', record.subject, record.createdAt))?.attempts).toBe(2)
      const counts = await raceCallers(() => verifications.addAttempt(record.id))
      expect(counts.sort((a, b) => a - b)).toEqual(
        Array.from({ length: CONCURRENT_CALLER_COUNT }, (_, index) => index + 3),
      )
      expect((await verifications.consume('otp', record.secretHash, record.createdAt))?.attempts).toBe(
        CONCURRENT_CALLER_COUNT + 2,
      )
      expect(await verifications.addAttempt(record.id)).toBe(0)
    })

    it('deletes once', async () => {
      const verifications = await openStore()
      const record = buildVerification()
      await verifications.create(record)
      expect(await verifications.delete(record.id)).toBe(true)
      expect(await verifications.delete(record.id)).toBe(false)
      expect(await verifications.find(record.purpose, record.subject, record.createdAt)).toBeNull()
      expect(await verifications.consume(record.purpose, record.secretHash, record.createdAt)).toBeNull()
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
      expect(await verifications.deleteByUser(userId)).toBe(2)
      expect(await verifications.deleteByUser(userId)).toBe(0)
      for (const record of own) {
        expect(await verifications.find(record.purpose, record.subject, record.createdAt)).toBeNull()
      }
      expect(await verifications.find(anonymous.purpose, anonymous.subject, anonymous.createdAt)).toEqual(anonymous)
      expect(await verifications.find(other.purpose, other.subject, other.createdAt)).toEqual(other)
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
      expect(await verifications.consume(record.purpose, record.secretHash, record.createdAt)).toEqual(original)
    })
  })
}
