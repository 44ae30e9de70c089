import type { Redis } from 'ioredis'
import type pg from 'pg'
import { createBoundedPool, createBoundedRedis, POSTGRES_PORT, REDIS_PORT, TEST_HOST } from './bounded-clients.js'
import { reportUnavailable } from './report-unavailable.js'
/** How long a probe may take before the server counts as unreachable. */
const PROBE_TIMEOUT_MS = 1500

/**
 * Connects with `connect`; on failure reports the server unavailable (a failing test under CI,
 * a skipped one and a banner otherwise) and answers null.
 */
export async function connectOrReport<T>(serverName: string, port: number, connect: () => Promise<T>): Promise<T | null> {
  try {
    return await connect()
  } catch (error) {
    const problem = `${serverName} is not reachable at ${TEST_HOST}:${port} (${error instanceof Error ? error.message : String(error)})`
    reportUnavailable(serverName, problem, 'CI must start it before the tests.')
    return null
  }
}

/** A pool on the local test database, or null (see connectOrReport). */
export function openPostgresPool(): Promise<pg.Pool | null> {
  return connectOrReport('PostgreSQL', POSTGRES_PORT, async () => {
    const pool = createBoundedPool()
    try {
      await pool.query('SELECT 1')
      return pool
    } catch (error) {
      await pool.end()
      throw error
    }
  })
}

/** A client on the local test Redis, or null (see connectOrReport). */
export function openRedisClient(): Promise<Redis | null> {
  return connectOrReport('Redis', REDIS_PORT, async () => {
    const client = createBoundedRedis(REDIS_PORT, {
      lazyConnect: true,
      connectTimeout: PROBE_TIMEOUT_MS,
      commandTimeout: 5000,
      retryStrategy: () => null,
    })
    try {
      await client.connect()
      await client.ping()
      return client
    } catch (error) {
      client.disconnect()
      throw error
    }
  })
}
