import { addToIndex, removeFromIndex } from './secondary-index.js'
import type { IdentityRecord, IdentityStore } from './ports.js'

/** NUL cannot occur in an issuer URL, so joined keys cannot collide. */
function joinKey(issuer: string, subject: string): string {
  return `${issuer}\u0000${subject}`
}

export function createMemoryIdentityStore(): IdentityStore {
  const identitiesById = new Map<string, IdentityRecord>()
  const idsBySubject = new Map<string, string>()
  const idsByUser = new Map<string, Set<string>>()

  function removeIdentity(identity: IdentityRecord): void {
    identitiesById.delete(identity.id)
    idsBySubject.delete(joinKey(identity.issuer, identity.subject))
    removeFromIndex(idsByUser, identity.userId, identity.id)
  }

  const copy = (identity: IdentityRecord | undefined) => (identity === undefined ? null : { ...identity })

  return {
    async create(identity) {
      const key = joinKey(identity.issuer, identity.subject)
      if (idsBySubject.has(key)) return 'taken'
      identitiesById.set(identity.id, { ...identity })
      idsBySubject.set(key, identity.id)
      addToIndex(idsByUser, identity.userId, identity.id)
      return 'created'
    },

    getById: async (id) => copy(identitiesById.get(id)),

    async getBySubject(issuer, subject) {
      const id = idsBySubject.get(joinKey(issuer, subject))
      return id === undefined ? null : copy(identitiesById.get(id))
    },

    async listByUser(userId) {
      return [...(idsByUser.get(userId) ?? [])]
        .flatMap((id) => identitiesById.get(id) ?? [])
        .sort((a, b) => a.linkedAt - b.linkedAt)
        .map((identity) => ({ ...identity }))
    },

    async delete(id) {
      const identity = identitiesById.get(id)
      if (identity === undefined) return false
      removeIdentity(identity)
      return true
    },

    async deleteByUser(userId) {
      const identities = [...(idsByUser.get(userId) ?? [])].flatMap((id) => identitiesById.get(id) ?? [])
      for (const identity of identities) removeIdentity(identity)
      return identities.length
    },
  }
}
