import type { Clock } from '../config/clock.js'
import type { SessionRecord, TokenRecord, WithUser } from './ports.js'

/** What a cache entry is keyed by: the store it came from and the token hash it was looked up by. */
export type CachedStore = 'sessions' | 'tokens'

/** Messages on the broadcast: drop entries of a user, or of one session or token by its id. */
export type Invalidation = { kind: 'user' | 'sessions' | 'tokens'; id: string }

interface Entry {
  found: WithUser<SessionRecord> | WithUser<TokenRecord>
  key: string
  recordKey: string
  userId: string
  cachedAt: number
}

export interface SessionCacheSettings {
  maxEntries: number
  ttlSeconds: number
}

export interface SessionCache {
  /** The cached lookup, or undefined: a miss, a stale entry, or a broadcast that is down (fail closed). */
  read(store: CachedStore, tokenHash: string): WithUser<SessionRecord> | WithUser<TokenRecord> | undefined
  /** A ticket for one store read: a read that started before an invalidation must not be cached after it. */
  begin(): number
  /** Caches what a read begun with `ticket` found, unless something was invalidated since or the broadcast is down. */
  store(store: CachedStore, tokenHash: string, found: WithUser<SessionRecord> | WithUser<TokenRecord>, ticket: number): void
  invalidate(invalidation: Invalidation): void
  /** The broadcast's state: entries are served only while it is listening; every change drops them all. */
  setListening(listening: boolean): void
}

/**
 * Validated sessions and tokens with their users, in process: a bounded LRU (a Map in use order)
 * with a TTL by the core clock, indexed by user and record id for invalidation.
 */
export function createSessionCache(settings: SessionCacheSettings, clock: Clock): SessionCache {
  const entries = new Map<string, Entry>()
  const keysByRecord = new Map<string, string>()
  const keysByUser = new Map<string, Set<string>>()
  const ttlMs = settings.ttlSeconds * 1000
  let generation = 0
  let listening = false

  function remove(entry: Entry): void {
    entries.delete(entry.key)
    keysByRecord.delete(entry.recordKey)
    const keys = keysByUser.get(entry.userId)
    keys?.delete(entry.key)
    if (keys?.size === 0) keysByUser.delete(entry.userId)
  }

  function clear(): void {
    generation++
    entries.clear()
    keysByRecord.clear()
    keysByUser.clear()
  }

  return {
    read(store, tokenHash) {
      if (!listening) return undefined
      const key = `${store}:${tokenHash}`
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      if (clock.now() - entry.cachedAt >= ttlMs) {
        remove(entry)
        return undefined
      }
      // Map order is use order: re-inserting makes it the most recently used.
      entries.delete(key)
      entries.set(key, entry)
      return entry.found
    },

    begin: () => generation,

    store(store, tokenHash, found, ticket) {
      if (!listening || ticket !== generation) return
      const key = `${store}:${tokenHash}`
      const existing = entries.get(key)
      if (existing !== undefined) remove(existing)
      const entry: Entry = { found, key, recordKey: `${store}:${found.record.id}`, userId: found.record.userId, cachedAt: clock.now() }
      entries.set(key, entry)
      keysByRecord.set(entry.recordKey, key)
      let keys = keysByUser.get(entry.userId)
      if (keys === undefined) keysByUser.set(entry.userId, (keys = new Set()))
      keys.add(key)
      if (entries.size > settings.maxEntries) {
        const oldest = entries.values().next().value
        if (oldest !== undefined) remove(oldest)
      }
    },

    invalidate({ kind, id }) {
      generation++
      const keys = kind === 'user' ? [...(keysByUser.get(id) ?? [])] : [keysByRecord.get(`${kind}:${id}`)]
      for (const key of keys) {
        const entry = key === undefined ? undefined : entries.get(key)
        if (entry !== undefined) remove(entry)
      }
    },

    setListening(now) {
      listening = now
      clear()
    },
  }
}
