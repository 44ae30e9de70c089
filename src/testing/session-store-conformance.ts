import type { SessionStore } from '../storage/ports.js'
import type { ConformanceRunner } from './conformance-runner.js'
import { countTrue, raceCallers } from './concurrent-callers.js'
import { buildSession, createTestHash, createTestId } from './conformance-records.js'

export function describeSessionStoreConformance(openStore: () => Promise<SessionStore>, runner: ConformanceRunner): void {
  const { describe, it, assert } = runner
  describe('sessions', () => {
    it('creates a session readable by token hash and by id', async () => {
      const sessions = await openStore()
      const session = buildSession({
        ip: null,
        userAgent: null,
        pendingSecondFactor: true,
        factors: [
          { method: 'password', at: Date.now() },
          { method: 'totp', at: Date.now() + 1 },
        ],
      })
      await sessions.create(session)
      assert.deepEqual(await sessions.getByTokenHash(session.tokenHash), session)
      assert.deepEqual(await sessions.getById(session.id), session)
    })

    it('keeps a session with no factors', async () => {
      const sessions = await openStore()
      const session = buildSession({ factors: [] })
      await sessions.create(session)
      assert.deepEqual(await sessions.getById(session.id), session)
    })

    it('answers null for unknown token hashes and ids', async () => {
      const sessions = await openStore()
      assert.equal(await sessions.getByTokenHash(createTestHash()), null)
      assert.equal(await sessions.getById(createTestId()), null)
    })

    it('touches only lastSeenAt and idleExpiresAt', async () => {
      const sessions = await openStore()
      const session = buildSession()
      await sessions.create(session)
      const lastSeenAt = session.lastSeenAt + 60_000
      const idleExpiresAt = session.idleExpiresAt + 60_000
      await sessions.touch(session.id, lastSeenAt, idleExpiresAt)
      const touched = { ...session, lastSeenAt, idleExpiresAt }
      assert.deepEqual(await sessions.getById(session.id), touched)
      assert.deepEqual(await sessions.getByTokenHash(session.tokenHash), touched)
    })

    it('does nothing when touching a session that is gone', async () => {
      const sessions = await openStore()
      const id = createTestId()
      await sessions.touch(id, Date.now(), Date.now() + 60_000)
      assert.equal(await sessions.getById(id), null)
    })

    it('lists a user sessions in creation order and nobody else', async () => {
      const sessions = await openStore()
      const userId = createTestId()
      const start = Date.now()
      const own = [0, 1, 2].map((offset) => buildSession({ userId, createdAt: start + offset }))
      for (const session of own) await sessions.create(session)
      await sessions.create(buildSession())
      assert.deepEqual(await sessions.listByUser(userId), own)
      assert.deepEqual(await sessions.listByUser(createTestId()), [])
    })

    it('deletes once, and the token hash stops resolving', async () => {
      const sessions = await openStore()
      const session = buildSession()
      await sessions.create(session)
      assert.equal(await sessions.delete(session.id), true)
      assert.equal(await sessions.delete(session.id), false)
      assert.equal(await sessions.getByTokenHash(session.tokenHash), null)
      assert.equal(await sessions.getById(session.id), null)
      assert.deepEqual(await sessions.listByUser(session.userId), [])
    })

    it('answers true to exactly one of concurrent deletes', async () => {
      const sessions = await openStore()
      const session = buildSession()
      await sessions.create(session)
      assert.equal(countTrue(await raceCallers(() => sessions.delete(session.id))), 1)
    })

    it('deletes all of a user sessions but the one kept', async () => {
      const sessions = await openStore()
      const userId = createTestId()
      const start = Date.now()
      const own = [0, 1, 2].map((offset) => buildSession({ userId, createdAt: start + offset }))
      for (const session of own) await sessions.create(session)
      const other = buildSession()
      await sessions.create(other)
      const [kept, ...dropped] = own
      assert.equal(await sessions.deleteByUser(userId, kept?.id), 2)
      assert.deepEqual(await sessions.listByUser(userId), [kept])
      for (const session of dropped) assert.equal(await sessions.getByTokenHash(session.tokenHash), null)
      assert.deepEqual(await sessions.getById(other.id), other)
      assert.equal(await sessions.deleteByUser(userId), 1)
      assert.deepEqual(await sessions.listByUser(userId), [])
      assert.equal(await sessions.deleteByUser(userId), 0)
    })

    it('returns copies that do not alias the stored record', async () => {
      const sessions = await openStore()
      const session = buildSession()
      const original = structuredClone(session)
      await sessions.create(session)
      session.factors.push({ method: 'mutated input', at: 0 })
      const read = await sessions.getByTokenHash(session.tokenHash)
      if (read === null) throw new Error('session missing')
      read.factors.push({ method: 'mutated output', at: 0 })
      const [firstFactor] = read.factors
      if (firstFactor !== undefined) firstFactor.method = 'mutated factor'
      read.lastSeenAt = 0
      assert.deepEqual(await sessions.getById(session.id), original)
      const [listed] = await sessions.listByUser(session.userId)
      listed?.factors.pop()
      assert.deepEqual(await sessions.getByTokenHash(session.tokenHash), original)
    })
  })
}
