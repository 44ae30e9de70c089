// Sessions (and limits, verifications) in Redis, users in memory, with the client settings
// gatehouse's README recommends. A peer process opens the same keys (BENCH_KEY_PREFIX).
import { Redis } from 'ioredis'
import { redisStorage } from '../../../adapters/redis/index.js'
import { memoryStorage, type Storage } from '../../../src/index.js'
import { serviceUrls } from '../../lib/service-check.js'

export interface RedisBench {
  client: Redis
  keyPrefix: string
  storage: Storage
  cleanup(): Promise<void>
}

export async function openRedisBench(): Promise<RedisBench> {
  const keyPrefix = process.env['BENCH_KEY_PREFIX'] ?? `gatehouse-bench:${process.pid}:${Date.now()}:`
  const client = new Redis(serviceUrls.redis, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    enableAutoPipelining: true,
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis not ready within 5 s')), 5000)
    client.once('ready', () => {
      clearTimeout(timer)
      resolve()
    })
  })
  const { sessions, limits, verifications } = redisStorage(client, { keyPrefix })
  return {
    client,
    keyPrefix,
    storage: { ...memoryStorage(), sessions, limits, verifications },
    async cleanup() {
      await deleteKeys(client, `${keyPrefix}*`)
      client.disconnect()
    },
  }
}

/** Removes the run's keys with a bounded SCAN. */
async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0'
  for (let i = 0; i < 1000; i++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
    if (keys.length > 0) await redis.del(...keys)
    cursor = next
    if (cursor === '0') return
  }
}
