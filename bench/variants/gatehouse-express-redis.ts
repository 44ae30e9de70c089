// gatehouse on Express with sessions (and limits, verifications) in Redis: every guarded request
// reads its session from Redis. Users stay in memory, so only the session lookup goes over the wire.
// Skipped when adapters/redis is not on this branch yet or Redis is unreachable.
import { Redis } from 'ioredis'
import type { Storage } from '../../src/index.js'
import { serviceUrls } from '../lib/service-check.js'
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'
import { importOptional } from './shared/import-optional.js'

/** The documented signature (DESIGN.md section 5, the storage issue). */
interface RedisAdapter {
  redisStorage(client: Redis, options?: { keyPrefix?: string }): Pick<Storage, 'sessions' | 'limits' | 'verifications'>
}

const { redisStorage } = await importOptional<RedisAdapter>(new URL('../../adapters/redis/index.js', import.meta.url), 'adapters/redis')
const keyPrefix = `gatehouse-bench:${process.pid}:${Date.now()}:`
const client = new Redis(serviceUrls.redis, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true })
await client.connect()

const { sessions, limits, verifications } = redisStorage(client, { keyPrefix })
await startGatehouseExpress({
  credential: 'cookie',
  storage: { sessions, limits, verifications },
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
