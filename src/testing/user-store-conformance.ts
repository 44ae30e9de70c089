import type { UserStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { CONCURRENT_CALLER_COUNT, raceCallers } from './concurrent-callers.js'
import { buildUser, createTestId } from './conformance-records.js'

export function describeUserStoreConformance(openStore: () => Promise<UserStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner
  describe('users', () => {
    it('creates a user readable by id and by e-mail', async () => {
      const users = await openStore()
      const user = buildUser({ name: null, emailVerifiedAt: Date.now() })
      assert.equal(await users.create(user), 'created')
      assert.deepEqual(await users.getById(user.id), user)
      assert.deepEqual(await users.getByEmail(user.email), user)
    })

    it('answers null for unknown ids and e-mails', async () => {
      const users = await openStore()
      assert.equal(await users.getById(createTestId()), null)
      assert.equal(await users.getByEmail(`${createTestId()}@example.test`), null)
    })

    it('answers email_taken for a second user with the same e-mail and keeps the first', async () => {
      const users = await openStore()
      const first = buildUser()
      const second = buildUser({ email: first.email, name: 'Other' })
      await users.create(first)
      assert.equal(await users.create(second), 'email_taken')
      assert.deepEqual(await users.getByEmail(first.email), first)
      assert.equal(await users.getById(second.id), null)
    })

    it('lets exactly one of concurrent creates with one e-mail win', async () => {
      const users = await openStore()
      const email = `${createTestId()}@example.test`
      const candidates = Array.from({ length: CONCURRENT_CALLER_COUNT }, () => buildUser({ email }))
      const results = await raceCallers((index) => users.create(candidates[index] ?? buildUser()))
      assert.equal(results.filter((result) => result === 'created').length, 1)
      assert.equal(results.filter((result) => result === 'email_taken').length, results.length - 1)
      const winner = candidates[results.indexOf('created')]
      assert.equal((await users.getByEmail(email))?.id, winner?.id)
    })

    it('applies only the fields present in a patch', async () => {
      const users = await openStore()
      const user = buildUser()
      await users.create(user)
      const updatedAt = user.updatedAt + 1000
      assert.equal(await users.update(user.id, { name: null, emailVerifiedAt: updatedAt, updatedAt }), 'updated')
      assert.deepEqual(await users.getById(user.id), { ...user, name: null, emailVerifiedAt: updatedAt, updatedAt })
      assert.equal(await users.update(user.id, { passwordHash: null }), 'updated')
      assert.equal((await users.getById(user.id))?.passwordHash, null)
    })

    it('keeps the profile fields as given: absent stays absent, a patch replaces the whole map', async () => {
      const users = await openStore()
      const plain = buildUser()
      await users.create(plain)
      assert.equal('profile' in ((await users.getById(plain.id)) ?? {}), false)
      const profile = { photo_url: 'https://example.test/a.png', subscribed: false, onboarded_at: null }
      const user = buildUser({ profile })
      await users.create(user)
      assert.deepEqual(await users.getById(user.id), user)
      assert.deepEqual(await users.getByEmail(user.email), user)
      // What a caller does to the map it read does not reach the store.
      const read = await users.getById(user.id)
      read!.profile!.subscribed = true
      assert.deepEqual((await users.getById(user.id))?.profile, profile)
      const next = { photo_url: null, subscribed: true, onboarded_at: '2026-01-02T03:04:05.000Z' }
      assert.equal(await users.update(user.id, { profile: next }), 'updated')
      assert.deepEqual((await users.getById(user.id))?.profile, next)
      assert.equal(await users.update(user.id, { name: 'Renamed' }), 'updated')
      assert.deepEqual(await users.getById(user.id), { ...user, name: 'Renamed', profile: next })
      assert.equal(await users.update(plain.id, { profile: { subscribed: true } }), 'updated')
      assert.deepEqual((await users.getById(plain.id))?.profile, { subscribed: true })
    })

    it('moves the e-mail index when the e-mail changes', async () => {
      const users = await openStore()
      const user = buildUser()
      await users.create(user)
      const email = `${createTestId()}@example.test`
      assert.equal(await users.update(user.id, { email }), 'updated')
      assert.equal(await users.getByEmail(user.email), null)
      assert.equal((await users.getByEmail(email))?.id, user.id)
      assert.equal(await users.create(buildUser({ email: user.email })), 'created')
    })

    it('accepts an update to the e-mail the user already has', async () => {
      const users = await openStore()
      const user = buildUser()
      await users.create(user)
      assert.equal(await users.update(user.id, { email: user.email, name: 'Same' }), 'updated')
      assert.equal((await users.getByEmail(user.email))?.name, 'Same')
    })

    it('answers email_taken for an update to another user e-mail and changes nothing', async () => {
      const users = await openStore()
      const first = buildUser()
      const second = buildUser()
      await users.create(first)
      await users.create(second)
      assert.equal(await users.update(second.id, { email: first.email, name: 'Changed' }), 'email_taken')
      assert.deepEqual(await users.getById(second.id), second)
      assert.equal((await users.getByEmail(first.email))?.id, first.id)
    })

    it('lets one of concurrent updates to one free e-mail win', async () => {
      const users = await openStore()
      const candidates = Array.from({ length: CONCURRENT_CALLER_COUNT }, () => buildUser())
      for (const candidate of candidates) await users.create(candidate)
      const email = `${createTestId()}@example.test`
      const results = await raceCallers((index) => users.update(candidates[index]?.id ?? '', { email }))
      assert.equal(results.filter((result) => result === 'updated').length, 1)
      assert.equal(results.filter((result) => result === 'email_taken').length, results.length - 1)
    })

    it('answers not_found when updating an unknown user', async () => {
      const users = await openStore()
      assert.equal(await users.update(createTestId(), { name: 'Nobody' }), 'not_found')
    })

    it('deletes once and frees the e-mail', async () => {
      const users = await openStore()
      const user = buildUser()
      await users.create(user)
      assert.equal(await users.delete(user.id), true)
      assert.equal(await users.delete(user.id), false)
      assert.equal(await users.getById(user.id), null)
      assert.equal(await users.getByEmail(user.email), null)
      assert.equal(await users.create(buildUser({ email: user.email })), 'created')
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
      assert.deepEqual(await users.getById(user.id), original)
      assert.deepEqual(await users.getByEmail(user.email), original)
    })
  })
}
