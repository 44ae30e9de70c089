import type { RedisClient } from './redis-client.js'
import type { Storage } from '../../src/storage/ports.js'
import { createRedisKeys } from './redis-keys.js'
import { createRedisLimitStore } from './redis-limit-store.js'
import { createRedisSessionStore } from './redis-session-store.js'
import { createRedisVerificationStore } from './redis-verification-store.js'

export interface RedisStorageOptions {
  /** Prepended to every key, and the keys' hash tag (`<prefix>{<prefix>}...`): non-empty, no braces. Default 'gatehouse:'. */
  keyPrefix?: string | undefined
}

export type RedisStorage = Pick<Storage, 'sessions' | 'limits' | 'verifications'>

/**
 * The short-lived stores on Redis: sessions, rate limits and claims, one-time secrets. Every key
 * expires by itself. For bounded failure create the client with `commandTimeout`,
 * `maxRetriesPerRequest`, `enableOfflineQueue: false` and `connectTimeout`: a down server then
 * answers STORAGE_UNAVAILABLE (503) at once instead of queueing requests.
 * Standalone, Sentinel or Cluster (pass an ioredis `Cluster`) Redis 7+: every key carries one hash
 * tag, so all of a storage's keys share a slot, and every script gets the keys it touches in KEYS.
 */
export function redisStorage(client: RedisClient, options: RedisStorageOptions = {}): RedisStorage {
  // The hash tag must lead the key names the server sees; the client's own prefix would come first.
  if (client.options.keyPrefix) {
    throw new TypeError("gatehouse/redis: use redisStorage's keyPrefix option instead of the client's keyPrefix")
  }
  const keys = createRedisKeys(options.keyPrefix ?? 'gatehouse:')
  return {
    sessions: createRedisSessionStore(client, keys),
    limits: createRedisLimitStore(client, keys),
    verifications: createRedisVerificationStore(client, keys),
  }
}
