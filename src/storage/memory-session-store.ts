import { createExpirySweep } from './expiry-sweep.js'
import { addToIndex, removeFromIndex } from './secondary-index.js'
import { attachUser } from './attach-user.js'
import type { SessionRecord, SessionStore } from './ports.js'

function copySession(session: SessionRecord): SessionRecord {
  return { ...session, factors: session.factors.map((factor) => ({ ...factor })) }
}

function isSessionExpired(session: SessionRecord, now: number): boolean {
  return now >= Math.min(session.expiresAt, session.idleExpiresAt)
}

export function createMemorySessionStore(): SessionStore {
  const sessionsById = new Map<string, SessionRecord>()
  const idsByTokenHash = new Map<string, string>()
  const idsByUser = new Map<string, Set<string>>()
  // The store never reads a clock: it sweeps against the newest time the core has handed it,
  // so an injected clock governs expiry here too.
  let latestSeenAt = 0

  function removeSession(id: string, session: SessionRecord): void {
    sessionsById.delete(id)
    idsByTokenHash.delete(session.tokenHash)
    removeFromIndex(idsByUser, session.userId, id)
  }

  const sweepExpired = createExpirySweep(sessionsById, isSessionExpired, removeSession)

  return {
    async create(session) {
      sessionsById.set(session.id, copySession(session))
      idsByTokenHash.set(session.tokenHash, session.id)
      addToIndex(idsByUser, session.userId, session.id)
      latestSeenAt = Math.max(latestSeenAt, session.createdAt)
      sweepExpired(latestSeenAt)
    },

    async getByTokenHash(tokenHash) {
      const id = idsByTokenHash.get(tokenHash)
      const session = id === undefined ? undefined : sessionsById.get(id)
      return session === undefined ? null : copySession(session)
    },

    // Not async: a map hit answers in the same tick (see MaybePromise).
    getWithUser(tokenHash, users) {
      const id = idsByTokenHash.get(tokenHash)
      const session = id === undefined ? undefined : sessionsById.get(id)
      return session === undefined ? null : attachUser(copySession(session), users)
    },

    async getById(id) {
      const session = sessionsById.get(id)
      return session === undefined ? null : copySession(session)
    },

    async touch(id, lastSeenAt, idleExpiresAt) {
      const session = sessionsById.get(id)
      if (session === undefined) return
      session.lastSeenAt = lastSeenAt
      session.idleExpiresAt = idleExpiresAt
      latestSeenAt = Math.max(latestSeenAt, lastSeenAt)
    },

    async listByUser(userId) {
      const ids = idsByUser.get(userId)
      if (ids === undefined) return []
      const sessions: SessionRecord[] = []
      for (const id of ids) {
        const session = sessionsById.get(id)
        if (session !== undefined) sessions.push(copySession(session))
      }
      return sessions
    },

    async delete(id) {
      const session = sessionsById.get(id)
      if (session === undefined) return false
      removeSession(id, session)
      return true
    },

    async deleteByUser(userId, exceptId) {
      const ids = idsByUser.get(userId)
      if (ids === undefined) return 0
      let removed = 0
      for (const id of [...ids]) {
        const session = sessionsById.get(id)
        if (id === exceptId || session === undefined) continue
        removeSession(id, session)
        removed++
      }
      return removed
    },
  }
}
