import { Redis } from 'ioredis'
import pg from 'pg'
import { it } from 'vitest'

/** Test servers are local only. */
export const TEST_HOST = '127.0.0.1'
export const POSTGRES_PORT = 5432
export const REDIS_PORT = 6379
/** How long a probe may take before the server counts as unreachable. */
const PROBE_TIMEOUT_MS = 1500

/**
 * Connects with `connect`; on failure registers a failing test under CI (a missing server must
 * not pass silently there) and otherwise a skipped one plus a loud banner. Answers null then.
 */
export async function connectOrReport<T>(serverName: string, port: number, connect: () => Promise<T>): Promise<T | null> {
  try {
    return await connect()
  } catch (error) {
    const problem = `${serverName} is not reachable at ${TEST_HOST}:${port} (${error instanceof Error ? error.message : String(error)})`
    if (process.env.CI === 'true') {
      it(`${serverName} is reachable`, () => {
        throw new Error(`${problem}; CI must start it before the tests.`)
      })
    } else {
      const rule = '!'.repeat(78)
      console.warn(`\n${rule}\n  SKIPPING ${serverName} tests: ${problem}\n${rule}\n`)
      it.skip(`${serverName} tests (server unreachable)`, () => undefined)
    }
    return null
  }
}

/** A pool on the local test database that fails fast, or null (see connectOrReport). */
export function openPostgresPool(): Promise<pg.Pool | null> {
  return connectOrReport('PostgreSQL', POSTGRES_PORT, async () => {
    const pool = new pg.Pool({
      host: TEST_HOST,
      port: POSTGRES_PORT,
      user: 'postgres',
      database: 'test',
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      query_timeout: 10_000,
    })
    pool.on('error', () => undefined) // idle clients dropped by the server must not crash the run
    try {
      await pool.query('SELECT 1')
      return pool
    } catch (error) {
      await pool.end()
      throw error
    }
  })
}

/** A client on the local test Redis that fails fast, or null (see connectOrReport). */
export function openRedisClient(): Promise<Redis | null> {
  return connectOrReport('Redis', REDIS_PORT, async () => {
    const client = new Redis({
      host: TEST_HOST,
      port: REDIS_PORT,
      lazyConnect: true,
      connectTimeout: PROBE_TIMEOUT_MS,
      commandTimeout: 5000,
      maxRetriesPerRequest: 1,
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
