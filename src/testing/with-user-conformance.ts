import { createMemoryUserStore } from '../storage/memory-user-store.js'
import type { Storage } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { buildSession, buildToken, buildUser, createTestHash } from './conformance-records.js'

type LookupStore = 'sessions' | 'tokens'

const builders = { sessions: buildSession, tokens: buildToken } as const

/**
 * getWithUser of the session and token stores: with the storage's own user store (the one-call
 * path: a join, one map lookup) and with a user store of another backend (the fallback).
 */
export function describeWithUserConformance(
  store: LookupStore,
  openStorage: () => Promise<Storage>,
  runner: ConformanceRunner,
): void {
  const { describe, it, assert } = runner
  const userSources = [
    ['its own user store', (storage: Storage) => storage.users],
    ['another user store', () => createMemoryUserStore()],
  ] as const
  describe(`${store}: getWithUser`, () => {
    for (const [label, pickUsers] of userSources) {
      it(`answers the record with its user from ${label}`, async () => {
        const storage = await openStorage()
        const users = pickUsers(storage)
        // With profile fields, so a store that joins users in one query reads those too.
        const user = buildUser({ profile: { photo_url: 'https://example.test/a.png', subscribed: true, onboarded_at: null } })
        await users.create(user)
        const record = builders[store]({ userId: user.id })
        // Each store's create takes its own record type; the builder picked matches it.
        await (storage[store].create as (value: typeof record) => Promise<void>)(record)
        assert.deepEqual(await storage[store].getWithUser(record.tokenHash, users), { record, user })
      })

      it(`answers every field as stored from ${label}: nulls, true flags, far times, quotes and non-ASCII text`, async () => {
        const storage = await openStorage()
        const users = pickUsers(storage)
        // A backend may carry the row in another encoding (text, JSON): each field must come back as it went in.
        const farFuture = 8_640_000_000_000_000
        const user = buildUser({ name: null, passwordHash: null, emailVerifiedAt: 1_700_000_000_123, updatedAt: farFuture })
        await users.create(user)
        const record =
          store === 'sessions'
            ? buildSession({ userId: user.id, ip: null, userAgent: 'Ada "\\" Lovelace ✓ \u00e9', pendingSecondFactor: true, expiresAt: farFuture, factors: [] })
            : buildToken({ userId: user.id, name: 'ci "\\" ✓', scopes: [], lastUsedAt: 1_700_000_000_456, expiresAt: farFuture })
        await (storage[store].create as (value: typeof record) => Promise<void>)(record)
        assert.deepEqual(await storage[store].getWithUser(record.tokenHash, users), { record, user })
      })

      it(`answers a null user from ${label} when the user is gone, and null for an unknown hash`, async () => {
        const storage = await openStorage()
        const users = pickUsers(storage)
        const record = builders[store]()
        await (storage[store].create as (value: typeof record) => Promise<void>)(record)
        assert.deepEqual(await storage[store].getWithUser(record.tokenHash, users), { record, user: null })
        assert.equal(await storage[store].getWithUser(createTestHash(), users), null)
      })
    }

    it('returns copies that do not alias the stored records', async () => {
      const storage = await openStorage()
      const user = buildUser()
      await storage.users.create(user)
      const record = builders[store]({ userId: user.id })
      const original = structuredClone(record)
      await (storage[store].create as (value: typeof record) => Promise<void>)(record)
      const read = await storage[store].getWithUser(record.tokenHash, storage.users)
      if (read === null || read.user === null) throw new Error('record or user missing')
      read.user.name = 'mutated'
      read.record.userId = 'mutated'
      assert.deepEqual(await storage[store].getWithUser(record.tokenHash, storage.users), { record: original, user })
    })
  })
}
