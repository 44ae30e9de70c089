import { describe, expect, it } from 'vitest'
import type { UserStore } from '../storage/ports.js'
import { CONCURRENT_CALLER_COUNT, raceCallers } from './concurrent-callers.js'
import { buildUser, createTestId } from './conformance-records.js'

export function describeUserStoreConformance(openStore: () => Promise<UserStore>): void {
  describe('users', () => {
    it('creates a user readable by id and by e-mail', async () => {
      const users = await openStore()
      const user = buildUser({ name: null, emailVerifiedAt: Date.now() })
      expect(await users.create(user)).toBe('created')
      expect(await users.getById(user.id)).toEqual(user)
      expect(await users.getByEmail(user.email)).toEqual(user)
    })

    it('answers null for unknown ids and e-mails', async () => {
      const users = await openStore()
      expect(await users.getById(createTestId())).toBeNull()
      expect(await users.getByEmail(`${createTestId()}@example.test`)).toBeNull()
    })

    it('answers email_taken for a second user with the same e-mail and keeps the first', async () => {
      const users = await openStore()
      const first = buildUser()
      const second = buildUser({ email: first.email, name: 'Other' })
      await users.create(first)
      expect(await users.create(second)).toBe('email_taken')
      expect(await users.getByEmail(first.email)).toEqual(first)
      expect(await users.getById(second.id)).toBeNull()
    })

    it('lets exactly one of concurrent creates with one e-mail win', async () => {
      const users = await openStore()
      const email = `${createTestId()}@example.test`
      const candidates = Array.from({ length: CONCURRENT_CALLER_COUNT }, () => buildUser({ email }))
      const results = await raceCallers((index) => users.create(candidates[index] ?? buildUser()))
      expect(results.filter((result) => result === 'created')).toHaveLength(1)
      expect(results.filter((result) => result === 'email_taken')).toHaveLength(results.length - 1)
      const winner = candidates[results.indexOf('created')]
      expect((await users.getByEmail(email))?.id).toBe(winner?.id)
    })

    it('applies only the fields present in a patch', async () => {
      const users = await openStore()
      const user = buildUser()
      await users.create(user)
      const updatedAt = user.updatedAt + 1000
      expect(await users.update(user.id, { name: null, emailVerifiedAt: updatedAt, updatedAt })).toBe('updated')
      expect(await users.getById(user.id)).toEqual({ ...user, name: null, emailVerifiedAt: updatedAt, updatedAt })
      expect(await users.update(user.id, { passwordHash: null })).toBe('updated')
      expect((await users.getById(user.id))?.passwordHash).toBeNull()
    })

    it('moves the e-mail index when the e-mail changes', async () => {
      const users = await openStore()
      const user = buildUser()
      await users.create(user)
      const email = `${createTestId()}@example.test`
      expect(await users.update(user.id, { email })).toBe('updated')
      expect(await users.getByEmail(user.email)).toBeNull()
      expect((await users.getByEmail(email))?.id).toBe(user.id)
      expect(await users.create(buildUser({ email: user.email }))).toBe('created')
    })

    it('accepts an update to the e-mail the user already has', async () => {
      const users = await openStore()
      const user = buildUser()
      await users.create(user)
      expect(await users.update(user.id, { email: user.email, name: 'Same' })).toBe('updated')
      expect((await users.getByEmail(user.email))?.name).toBe('Same')
    })

    it('answers email_taken for an update to another user e-mail and changes nothing', async () => {
      const users = await openStore()
      const first = buildUser()
      const second = buildUser()
      await users.create(first)
      await users.create(second)
      expect(await users.update(second.id, { email: first.email, name: 'Changed' })).toBe('email_taken')
      expect(await users.getById(second.id)).toEqual(second)
      expect((await users.getByEmail(first.email))?.id).toBe(first.id)
    })

    it('lets one of concurrent updates to one free e-mail win', async () => {
      const users = await openStore()
      const candidates = Array.from({ length: CONCURRENT_CALLER_COUNT }, () => buildUser())
      for (const candidate of candidates) await users.create(candidate)
      const email = `${createTestId()}@example.test`
      const results = await raceCallers((index) => users.update(candidates[index]?.id ?? '', { email }))
      expect(results.filter((result) => result === 'updated')).toHaveLength(1)
      expect(results.filter((result) => result === 'email_taken')).toHaveLength(results.length - 1)
    })

    it('answers not_found when updating an unknown user', async () => {
      const users = await openStore()
      expect(await users.update(createTestId(), { name: 'Nobody' })).toBe('not_found')
    })

    it('deletes once and frees the e-mail', async () => {
      const users = await openStore()
      const user = buildUser()
      await users.create(user)
      expect(await users.delete(user.id)).toBe(true)
      expect(await users.delete(user.id)).toBe(false)
      expect(await users.getById(user.id)).toBeNull()
      expect(await users.getByEmail(user.email)).toBeNull()
      expect(await users.create(buildUser({ email: user.email }))).toBe('created')
    })

    it('returns copies that do not alias the stored record', async () => {
      const users = await openStore()
      const user = buildUser()
      const original = { ...user }
      await users.create(user)
      user.name = 'mutated input'
      const read = await users.getById(user.id)
      if (read === null) throw new Error('user missing')
      read.name = 'mutated output'
      expect(await users.getById(user.id)).toEqual(original)
      expect(await users.getByEmail(user.email)).toEqual(original)
    })
  })
}
