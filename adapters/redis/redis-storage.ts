import type { Redis } from 'ioredis'
import type { Storage } from '../../src/storage/ports.js'
import { createRedisKeys } from './redis-keys.js'
import { createRedisLimitStore } from './redis-limit-store.js'
import { createRedisSessionStore } from './redis-session-store.js'
import { createRedisVerificationStore } from './redis-verification-store.js'

export interface RedisStorageOptions {
  /** Prepended to every key. Default 'gatehouse:'. */
  keyPrefix?: string | undefined
}

export type RedisStorage = Pick<Storage, 'sessions' | 'limits' | 'verifications'>

/**
 * The short-lived stores on Redis: sessions, rate limits and claims, one-time secrets. Every key
 * expires by itself. For bounded failure create the client with `commandTimeout`,
 * `maxRetriesPerRequest`, `enableOfflineQueue: false` and `connectTimeout`: a down server then
 * answers STORAGE_UNAVAILABLE (503) at once instead of queueing requests.
 * Standalone or Sentinel Redis 7+; scripts touch keys they derive, so not Redis Cluster.
 */
export function redisStorage(client: Redis, options: RedisStorageOptions = {}): RedisStorage {
  // Scripts derive some key names themselves, where the client's own prefix would not reach.
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
