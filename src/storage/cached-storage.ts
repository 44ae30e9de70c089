import { thenMaybe } from '../async/maybe-promise.js'
import { storageUnavailable } from '../errors/auth-error.js'
import type { CacheBroadcast, FactorStore, SessionRecord, SessionStore, Storage, TokenRecord, TokenStore, UserStore, WithUser } from './ports.js'
import type { Invalidation, SessionCache } from './session-cache.js'

const INVALIDATION_KINDS = new Set<string>(['user', 'sessions', 'tokens'])

/** 'kind:id'; ids may hold ':' themselves, the kind never does. */
export function encodeInvalidation({ kind, id }: Invalidation): string {
  return `${kind}:${id}`
}

/** The invalidation in a broadcast message, or null for one this version does not know. */
export function decodeInvalidation(message: string): Invalidation | null {
  const colon = message.indexOf(':')
  const kind = message.slice(0, colon)
  if (colon <= 0 || !INVALIDATION_KINDS.has(kind)) return null
  return { kind: kind as Invalidation['kind'], id: message.slice(colon + 1) }
}

function copySessionWithUser({ record, user }: WithUser<SessionRecord>): WithUser<SessionRecord> {
  return { record: { ...record, factors: record.factors.map((factor) => ({ ...factor })) }, user: user === null ? null : { ...user } }
}

function copyTokenWithUser({ record, user }: WithUser<TokenRecord>): WithUser<TokenRecord> {
  return { record: { ...record, scopes: [...record.scopes] }, user: user === null ? null : { ...user } }
}

/**
 * The storage with the guard's lookups (sessions and tokens getWithUser) served from `cache`, and
 * every write that could make a cached entry wrong (revocation, logout, a user changed or
 * deleted, second-factor changes) dropping it here and broadcasting the drop to the other
 * processes before it returns. A broadcast that fails answers STORAGE_UNAVAILABLE: the write
 * happened, but the other processes may not know it yet.
 */
export function cacheStorage(storage: Storage, cache: SessionCache, broadcast: CacheBroadcast): Storage {
  async function announce(invalidation: Invalidation): Promise<void> {
    cache.invalidate(invalidation)
    try {
      await broadcast.publish(encodeInvalidation(invalidation))
    } catch (error) {
      throw storageUnavailable(error)
    }
  }

  async function after<T>(result: Promise<T>, invalidation: Invalidation): Promise<T> {
    const value = await result
    await announce(invalidation)
    return value
  }

  const { sessions, tokens, users, factors } = storage
  const cachedSessions: SessionStore = {
    ...bindAll(sessions),
    // A hit answers in the same tick; only a miss waits on the store.
    getWithUser(tokenHash, userStore) {
      const hit = cache.read('sessions', tokenHash) as WithUser<SessionRecord> | undefined
      if (hit !== undefined) return copySessionWithUser(hit)
      const ticket = cache.begin()
      return thenMaybe(sessions.getWithUser(tokenHash, unwrapUsers(userStore)), (found) => {
        if (found !== null) cache.store('sessions', tokenHash, copySessionWithUser(found), ticket)
        return found
      })
    },
    delete: (id) => after(sessions.delete(id), { kind: 'sessions', id }),
    deleteByUser: (userId, exceptId) => after(sessions.deleteByUser(userId, exceptId), { kind: 'user', id: userId }),
  }
  const cachedTokens: TokenStore = {
    ...bindAll(tokens),
    getWithUser(tokenHash, userStore) {
      const hit = cache.read('tokens', tokenHash) as WithUser<TokenRecord> | undefined
      if (hit !== undefined) return copyTokenWithUser(hit)
      const ticket = cache.begin()
      return thenMaybe(tokens.getWithUser(tokenHash, unwrapUsers(userStore)), (found) => {
        if (found !== null) cache.store('tokens', tokenHash, copyTokenWithUser(found), ticket)
        return found
      })
    },
    // An expired token must be refused at once everywhere, as a deleted one is.
    expire: (id, at) => after(tokens.expire(id, at), { kind: 'tokens', id }),
    delete: (id) => after(tokens.delete(id), { kind: 'tokens', id }),
    deleteByUser: (userId, kind) => after(tokens.deleteByUser(userId, kind), { kind: 'user', id: userId }),
  }
  const cachedUsers: UserStore = {
    ...bindAll(users),
    update: (id, patch) => after(users.update(id, patch), { kind: 'user', id }),
    delete: (id) => after(users.delete(id), { kind: 'user', id }),
  }

  /** The user a factor belongs to, read before a write that names only the factor. */
  async function afterFactorWrite<T>(id: string, write: () => Promise<T>): Promise<T> {
    const factor = await factors.getById(id)
    const result = await write()
    if (factor !== null) await announce({ kind: 'user', id: factor.userId })
    return result
  }
  const cachedFactors: FactorStore = {
    ...bindAll(factors),
    create: (factor) => after(factors.create(factor), { kind: 'user', id: factor.userId }),
    update: (id, patch) => afterFactorWrite(id, () => factors.update(id, patch)),
    delete: (id) => afterFactorWrite(id, () => factors.delete(id)),
    deleteByUser: (userId, kind) => after(factors.deleteByUser(userId, kind), { kind: 'user', id: userId }),
  }

  // getWithUser's one-call path compares the user store by identity: hand the store its own sibling.
  function unwrapUsers(userStore: UserStore): UserStore {
    return userStore === cachedUsers ? users : userStore
  }

  return { ...storage, sessions: cachedSessions, tokens: cachedTokens, users: cachedUsers, factors: cachedFactors }
}

/** The store's methods bound to it, so a wrapper can spread them and replace a few. */
function bindAll<T extends object>(store: T): T {
  const bound: Record<string, unknown> = {}
  for (const key of methodNames(store)) bound[key] = ((store as Record<string, unknown>)[key] as (...args: unknown[]) => unknown).bind(store)
  return bound as T
}

function methodNames(store: object): string[] {
  const names = new Set<string>()
  for (let target: object | null = store; target !== null && target !== Object.prototype; target = Object.getPrototypeOf(target)) {
    for (const name of Object.getOwnPropertyNames(target)) {
      if (name !== 'constructor' && typeof (store as Record<string, unknown>)[name] === 'function') names.add(name)
    }
  }
  return [...names]
}
