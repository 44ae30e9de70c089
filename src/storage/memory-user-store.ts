import type { UserPatch, UserRecord, UserStore } from './ports.js'
import { pickDefinedFields } from './pick-defined-fields.js'

function copyUser(user: UserRecord): UserRecord {
  return user.profile === undefined ? { ...user } : { ...user, profile: { ...user.profile } }
}

// Memory user stores by their maps, so a memory session or token store reads its user in the same
// call, without a promise per lookup. A WeakMap keeps the store's type plain.
const usersByStore = new WeakMap<UserStore, ReadonlyMap<string, UserRecord>>()

/** A copy of the user from a memory user store at once; undefined when `store` is not one. */
export function readMemoryUser(store: UserStore, id: string): UserRecord | null | undefined {
  const usersById = usersByStore.get(store)
  if (usersById === undefined) return undefined
  const user = usersById.get(id)
  return user === undefined ? null : copyUser(user)
}

export function createMemoryUserStore(): UserStore {
  const usersById = new Map<string, UserRecord>()
  const idsByEmail = new Map<string, string>()

  const store: UserStore = {
    async create(user) {
      if (idsByEmail.has(user.email)) return 'email_taken'
      usersById.set(user.id, copyUser(user))
      idsByEmail.set(user.email, user.id)
      return 'created'
    },

    async getById(id) {
      const user = usersById.get(id)
      return user === undefined ? null : copyUser(user)
    },

    async getByEmail(email) {
      const id = idsByEmail.get(email)
      const user = id === undefined ? undefined : usersById.get(id)
      return user === undefined ? null : copyUser(user)
    },

    async update(id, patch: UserPatch) {
      const user = usersById.get(id)
      if (user === undefined) return 'not_found'
      const email = patch.email
      if (email !== undefined && email !== user.email) {
        if (idsByEmail.has(email)) return 'email_taken'
        idsByEmail.delete(user.email)
        idsByEmail.set(email, id)
      }
      usersById.set(id, copyUser({ ...user, ...pickDefinedFields(patch) }))
      return 'updated'
    },

    async delete(id) {
      const user = usersById.get(id)
      if (user === undefined) return false
      usersById.delete(id)
      idsByEmail.delete(user.email)
      return true
    },
  }
  usersByStore.set(store, usersById)
  return store
}
