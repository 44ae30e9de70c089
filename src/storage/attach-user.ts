import { readMemoryUser } from './memory-user-store.js'
import type { UserStore, WithUser } from './ports.js'

/**
 * The record with its user: read at once from a memory user store, else asked of `users`. The
 * fallback of getWithUser when the users live in another backend than the record.
 */
export async function attachUser<T extends { userId: string }>(record: T, users: UserStore): Promise<WithUser<T>> {
  const user = readMemoryUser(users, record.userId)
  return { record, user: user === undefined ? await users.getById(record.userId) : user }
}
