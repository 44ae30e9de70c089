import { describe, expect, it } from 'vitest'
import type { SessionStore } from '../storage/ports.js'
import { countTrue, raceCallers } from './concurrent-callers.js'
import { buildSession, createTestHash, createTestId } from './conformance-records.js'

export function describeSessionStoreConformance(openStore: () => Promise<SessionStore>): void {
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
      expect(await sessions.getByTokenHash(session.tokenHash)).toEqual(session)
      expect(await sessions.getById(session.id)).toEqual(session)
    })

    it('keeps a session with no factors', async () => {
      const sessions = await openStore()
      const session = buildSession({ factors: [] })
      await sessions.create(session)
      expect(await sessions.getById(session.id)).toEqual(session)
    })

    it('answers null for unknown token hashes and ids', async () => {
      const sessions = await openStore()
      expect(await sessions.getByTokenHash(createTestHash())).toBeNull()
      expect(await sessions.getById(createTestId())).toBeNull()
    })

    it('touches only lastSeenAt and idleExpiresAt', async () => {
      const sessions = await openStore()
      const session = buildSession()
      await sessions.create(session)
      const lastSeenAt = session.lastSeenAt + 60_000
      const idleExpiresAt = session.idleExpiresAt + 60_000
      await sessions.touch(session.id, lastSeenAt, idleExpiresAt)
      const touched = { ...session, lastSeenAt, idleExpiresAt }
      expect(await sessions.getById(session.id)).toEqual(touched)
      expect(await sessions.getByTokenHash(session.tokenHash)).toEqual(touched)
    })

    it('does nothing when touching a session that is gone', async () => {
      const sessions = await openStore()
      const id = createTestId()
      await sessions.touch(id, Date.now(), Date.now() + 60_000)
      expect(await sessions.getById(id)).toBeNull()
    })

    it('lists a user sessions in creation order and nobody else', async () => {
      const sessions = await openStore()
      const userId = createTestId()
      const start = Date.now()
      const own = [0, 1, 2].map((offset) => buildSession({ userId, createdAt: start + offset }))
      for (const session of own) await sessions.create(session)
      await sessions.create(buildSession())
      expect(await sessions.listByUser(userId)).toEqual(own)
      expect(await sessions.listByUser(createTestId())).toEqual([])
    })

    it('deletes once, and the token hash stops resolving', async () => {
      const sessions = await openStore()
      const session = buildSession()
      await sessions.create(session)
      expect(await sessions.delete(session.id)).toBe(true)
      expect(await sessions.delete(session.id)).toBe(false)
      expect(await sessions.getByTokenHash(session.tokenHash)).toBeNull()
      expect(await sessions.getById(session.id)).toBeNull()
      expect(await sessions.listByUser(session.userId)).toEqual([])
    })

    it('answers true to exactly one of concurrent deletes', async () => {
      const sessions = await openStore()
      const session = buildSession()
      await sessions.create(session)
      expect(countTrue(await raceCallers(() => sessions.delete(session.id)))).toBe(1)
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
      expect(await sessions.deleteByUser(userId, kept?.id)).toBe(2)
      expect(await sessions.listByUser(userId)).toEqual([kept])
      for (const session of dropped) expect(await sessions.getByTokenHash(session.tokenHash)).toBeNull()
      expect(await sessions.getById(other.id)).toEqual(other)
      expect(await sessions.deleteByUser(userId)).toBe(1)
      expect(await sessions.listByUser(userId)).toEqual([])
      expect(await sessions.deleteByUser(userId)).toBe(0)
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
      expect(await sessions.getById(session.id)).toEqual(original)
      const [listed] = await sessions.listByUser(session.userId)
      listed?.factors.pop()
      expect(await sessions.getByTokenHash(session.tokenHash)).toEqual(original)
    })
  })
}
