// gatehouse on Express with sessions (and limits, verifications) in Redis: every guarded request
// reads its session from Redis. Users stay in memory, so only the session lookup goes over the wire.
import { Redis } from 'ioredis'
import { redisStorage } from '../../adapters/redis/index.js'
import { memoryStorage } from '../../src/index.js'
import { serviceUrls } from '../lib/service-check.js'
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

const keyPrefix = `gatehouse-bench:${process.pid}:${Date.now()}:`
// The client settings gatehouse's README recommends.
const client = new Redis(serviceUrls.redis, {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1000,
  connectTimeout: 2000,
})
await new Promise<void>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('Redis not ready within 5 s')), 5000)
  client.once('ready', () => {
    clearTimeout(timer)
    resolve()
  })
})

const { sessions, limits, verifications } = redisStorage(client, { keyPrefix })
await startGatehouseExpress({
  credential: 'cookie',
  storage: { ...memoryStorage(), sessions, limits, verifications },
  cleanup: async () => {
    await deleteKeys(client, `${keyPrefix}*`)
    client.disconnect()
  },
})

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
