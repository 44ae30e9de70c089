import { Redis, type RedisOptions } from 'ioredis'
import pg from 'pg'

// No vitest import here: the app processes the multi-process test spawns use these too.

/** Test servers are local only. */
export const TEST_HOST = '127.0.0.1'
export const POSTGRES_PORT = 5432
export const REDIS_PORT = 6379

/**
 * A pool with the settings the storage docs recommend: a connect or a query that hangs fails
 * within a bound instead of holding the request. Not connected yet.
 */
export function createBoundedPool(port = POSTGRES_PORT): pg.Pool {
  const pool = new pg.Pool({
    host: TEST_HOST,
    port,
    user: 'postgres',
    database: 'test',
    connectionTimeoutMillis: 1000,
    query_timeout: 5000,
  })
  pool.on('error', () => undefined) // idle clients dropped by the server must not crash the process
  return pool
}

/**
 * A client with the settings the storage docs recommend: no offline queue, so commands fail at
 * once while disconnected, and every command bounded. It keeps reconnecting in the background.
 */
export function createBoundedRedis(port = REDIS_PORT, options: RedisOptions = {}): Redis {
  const client = new Redis({
    host: TEST_HOST,
    port,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 1000,
    retryStrategy: () => 100,
    ...options,
  })
  client.on('error', () => undefined) // reconnection errors surface as rejected commands instead
  return client
}

/** Resolves once the client is ready: without an offline queue, commands sent earlier fail. */
export async function waitUntilRedisReady(client: Redis, timeoutMs = 5000): Promise<void> {
  if (client.status === 'ready') return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not ready within ${timeoutMs} ms`)), timeoutMs)
    client.once('ready', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
