import { Redis } from 'ioredis'
import pg from 'pg'
import { migrate, postgresStorage } from '../../adapters/postgres/index.js'
import { redisStorage } from '../../adapters/redis/index.js'
import { memoryStorage, type Storage } from '../../src/index.js'

export interface DemoStorage {
  storage: Partial<Storage>
  /** What the demo runs on, for its start-up line. */
  description: string
  close(): Promise<void>
}

/**
 * Storage from the environment: DATABASE_URL puts every store in PostgreSQL (migrated at start,
 * schema DATABASE_SCHEMA), REDIS_URL moves sessions, limits and one-time secrets to Redis (key
 * prefix REDIS_KEY_PREFIX). Neither set: memory. Client settings bound every failure (503, not a hang).
 */
export async function createDemoStorage(env: NodeJS.ProcessEnv): Promise<DemoStorage> {
  // What neither server takes stays in memory, on purpose (gatehouse refuses storage that lacks a store).
  const storage: Partial<Storage> = memoryStorage()
  const parts: string[] = []
  const closers: (() => Promise<unknown>)[] = []
  if (env.DATABASE_URL !== undefined) {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 2000, query_timeout: 5000 })
    pool.on('error', (error) => console.warn(`[demo] postgres: ${error.message}`))
    const schema = env.DATABASE_SCHEMA
    await migrate(pool, { schema })
    Object.assign(storage, postgresStorage(pool, { schema }))
    parts.push(`PostgreSQL (schema ${schema ?? 'public'})`)
    closers.push(() => pool.end())
  }
  if (env.REDIS_URL !== undefined) {
    const redis = new Redis(env.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 100, 2000),
    })
    redis.on('error', (error) => console.warn(`[demo] redis: ${error.message}`))
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', resolve)
      setTimeout(() => reject(new Error(`Redis at ${env.REDIS_URL} is not ready after 5 s`)), 5000).unref()
    })
    const { sessions, limits, verifications } = redisStorage(redis, { keyPrefix: env.REDIS_KEY_PREFIX })
    Object.assign(storage, { sessions, limits, verifications })
    parts.push('Redis (sessions, limits, one-time secrets)')
    closers.push(() => redis.quit())
  }
  return {
    storage,
    description: parts.length === 0 ? 'memory' : parts.join(' + '),
    close: async () => {
      await Promise.all(closers.map((close) => close()))
    },
  }
}
