import type { MaybePromise } from '../async/maybe-promise.js'
import { readMemoryUser } from './memory-user-store.js'
import type { UserStore, WithUser } from './ports.js'

/**
 * The record with its user: read at once from a memory user store (no promise), else asked of
 * `users`. The fallback of getWithUser when the users live in another backend than the record.
 */
export function attachUser<T extends { userId: string }>(record: T, users: UserStore): MaybePromise<WithUser<T>> {
  const user = readMemoryUser(users, record.userId)
  if (user !== undefined) return { record, user }
  return users.getById(record.userId).then((found) => ({ record, user: found }))
}
